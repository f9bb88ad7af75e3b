/**
 * The dashboard is its own app: it talks to the gateway over HTTP and shares no code with
 * the server. Cruised from web/ so its `@/` paths resolve through web/tsconfig.json.
 */
const root = require('../.dependency-cruiser.cjs');

module.exports = {
  forbidden: [
    ...root.forbidden.filter((rule) => ['no-circular', 'not-to-unresolvable'].includes(rule.name)),
    {
      name: 'web-is-its-own-app',
      comment: 'Nothing outside web/ but packages: the server floors are reached over HTTP.',
      severity: 'error',
      from: {},
      to: { path: '^\\.\\./', pathNot: '^\\.\\./node_modules/' },
    },
  ],
  options: { ...root.options, tsConfig: { fileName: 'tsconfig.json' } },
};
