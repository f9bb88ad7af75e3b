/**
 * The gateway's own GraphiQL (every file served by the gateway, so it works offline), framed from the
 * gateway itself: the dashboard's /graphql runs only the dashboard's operations. Where a key is
 * needed, GraphiQL's headers editor holds it.
 */
export function GraphiQLFrame({ src }: { src: string }) {
  return <iframe className="explorer-frame" src={src} title="GraphiQL query editor" />;
}
