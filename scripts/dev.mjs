// `npm run dev`: the gateway with reload on change (tsx watch) and the dashboard with hot
// reload (next dev), together; one Ctrl-C stops both.
import path from 'node:path';
import { gatewayUrlFor, root, runTogether, webAddress } from './run-together.mjs';

const tsx = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');
const web = webAddress(process.env);
runTogether([
  // Development shows internal error details to clients; the product (npm start) never does.
  {
    name: 'gateway',
    command: tsx,
    args: ['watch', path.join(root, 'gateway', 'main.ts')],
    env: { NODE_ENV: process.env.NODE_ENV || 'development' },
  },
  {
    name: 'dashboard',
    command: process.execPath,
    args: [
      path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'),
      'dev',
      'web',
      '-H',
      web.host,
      '-p',
      web.port,
    ],
    env: { GATEWAY_URL: gatewayUrlFor(process.env), NEXT_TELEMETRY_DISABLED: '1' },
    filter: (line) =>
      /Ready in/.test(line)
        ? `  Dashboard:    http://${web.host}:${web.port}  (next dev, hot reload)`
        : `[dashboard] ${line}`,
  },
]);
