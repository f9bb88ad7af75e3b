import { z } from 'zod';

const webEnvSchema = z.object({
  /** Where the Next server reaches the gateway; the browser goes through this app's /graphql. */
  GATEWAY_URL: z
    .string()
    .url('GATEWAY_URL must be a URL such as http://127.0.0.1:4000/graphql')
    .default('http://127.0.0.1:4000/graphql'),
  /** Where browsers reach the gateway's own GraphiQL (the Explorer page); GATEWAY_URL when unset. */
  GATEWAY_PUBLIC_URL: z
    .string()
    .url('GATEWAY_PUBLIC_URL must be a URL such as https://api.example.com/graphql')
    .optional(),
  /** An API key (role dashboard) the dashboard's server sends, for a rate limit of its own. */
  GATEWAY_API_KEY: z.string().min(1).optional(),
});

/** The dashboard's server-side configuration, parsed once when first imported. */
export type WebConfig = { gatewayUrl: string; publicGatewayUrl: string; gatewayApiKey?: string };

function parseWebConfig(source: NodeJS.ProcessEnv): WebConfig {
  // Empty means unset, as in the gateway's config: `GATEWAY_URL= npm start` uses the default.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = webEnvSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid dashboard configuration:\n${problems.join('\n')}`);
  }
  return {
    gatewayUrl: result.data.GATEWAY_URL,
    publicGatewayUrl: result.data.GATEWAY_PUBLIC_URL ?? result.data.GATEWAY_URL,
    gatewayApiKey: result.data.GATEWAY_API_KEY,
  };
}

export const webConfig: WebConfig = parseWebConfig(process.env);
