# syntax=docker/dockerfile:1
# Soldgraph's one image: the gateway (default command), the dashboard, the worker and the CLIs,
# compiled. Build stage: every dependency, the TypeScript compiled by esbuild (scripts/build.mjs)
# and the dashboard built by Next. Runtime stage: production dependencies and the compiled files
# only (scripts/stage-runtime.mjs lists them), run as the unprivileged `node` user.
#   docker build -t soldgraph .
#   docker run -p 4000:4000 -e DATABASE_URL=postgres://... soldgraph
#   docker run soldgraph node scripts/run.mjs ingest/cli --help

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
# No dependency's install script runs: everything works without them (package.json allowScripts).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && node scripts/stage-runtime.mjs /runtime

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=4000
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /runtime/ ./
# The embedded database (used only without DATABASE_URL) lives in /app/.data.
RUN mkdir -p .data && chown node:node .data
USER node
EXPOSE 4000 3000
# The gateway's /health answers 200 while the database answers (503 when it is down or the pool is
# saturated). Other programs run from this image set HEALTHCHECK_URL to their own (the dashboard:
# http://127.0.0.1:3000/), or run with --no-healthcheck (the worker, the CLIs).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.HEALTHCHECK_URL || 'http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/gateway/main.js"]
