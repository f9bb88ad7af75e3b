/**
 * The gateway's own GraphiQL (every asset inlined, so it works offline), framed from this
 * app's /graphql route, which forwards to the gateway: same origin, and not a byte of
 * GraphiQL in the dashboard's JavaScript.
 */
export function GraphiQLFrame() {
  return <iframe className="explorer-frame" src="/graphql" title="GraphiQL query editor" />;
}
