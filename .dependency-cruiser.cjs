/**
 * Import rules (`npm run depcruise`). The KS Pay client and the domain know nothing of
 * GraphQL, and the built-in sandbox is started only by src/main.ts: the gateway never
 * reaches into it.
 */
const GRAPHQL_PACKAGES = '^node_modules/(graphql|graphql-yoga|@graphql-yoga|@pothos|@envelop|@escape\\.tech/graphql-armor)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Circular imports make load order matter and hide layering mistakes. Outside src/, cycles ' +
        'closed only by `import type` (erased at compile time) are allowed.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-types-in-src',
      severity: 'error',
      comment:
        'In src/ not even type-only cycles: a reader must not hold two files in mind to read one. ' +
        'Types several layers share live in a leaf module (src/server-context.ts).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'kspay-client-stands-alone',
      severity: 'error',
      comment: 'src/kspay is a plain REST client: no GraphQL, no HTTP front door, no gateway layers.',
      from: { path: '^src/kspay/' },
      to: {
        path: [
          '^src/(schema|http|plugins|payments|reads|live)/',
          '^src/yoga\\.ts$',
          GRAPHQL_PACKAGES,
        ],
      },
    },
    {
      name: 'schema-not-sandbox',
      severity: 'error',
      comment: 'The schema talks to KS Pay only through the client, never to the built-in sandbox.',
      from: { path: '^src/schema/' },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'sandbox-only-from-main',
      severity: 'error',
      comment: 'Only src/main.ts starts the built-in sandbox; tests, bench and examples may use it too.',
      from: { path: '^src/', pathNot: ['^src/main\\.ts$', '^src/sandbox/'] },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'domain-without-graphql',
      severity: 'error',
      comment: 'Models, money and the idempotency state machine are plain TypeScript.',
      from: { path: '^src/(kspay/models|kspay/money|payments/idempotency)\\.ts$' },
      to: { path: GRAPHQL_PACKAGES },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^examples/gql/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
      // Types-only packages such as @graphql-typed-document-node/core have no main.
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
