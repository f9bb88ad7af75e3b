import { z } from 'zod';

const webEnvSchema = z.object({
  /** Where the Next server reaches the gateway; the browser goes through this app's /graphql. */
  GATEWAY_URL: z
    .string()
    .url('GATEWAY_URL must be a URL such as http://127.0.0.1:4000/graphql')
    .default('http://127.0.0.1:4000/graphql'),
});

/** The dashboard's server-side configuration, parsed once when first imported. */
export type WebConfig = { gatewayUrl: string };

function parseWebConfig(source: NodeJS.ProcessEnv): WebConfig {
  // Empty means unset, as in the gateway's config: `GATEWAY_URL= npm start` uses the default.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = webEnvSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid dashboard configuration:\n${problems.join('\n')}`);
  }
  return { gatewayUrl: result.data.GATEWAY_URL };
}

export const webConfig: WebConfig = parseWebConfig(process.env);
