// Layer rules of every service (apps/<service>/src): adapters (http, grpc, messaging) reach the domain only through
// the application layer and never one another; what two of them share (proto mappers, enum codecs, event builders,
// request schemas) lives in wire/; store never depends on application; domain, application and wire hold no
// framework type. `npm run lint:deps` runs this check and fails on any violation.
const layer = (names) => `^apps/[^/]+/src/(${names})/`;
const adapters = 'http|grpc|messaging';
// Matched against the resolved file, so a type-only import (kept by tsPreCompilationDeps) counts too, and so does a
// package whose types come from @types.
const frameworks = '^node_modules/(@types/)?(mongoose|mongodb|bson|express|express-serve-static-core|@grpc/grpc-js|amqplib)/';

module.exports = {
  forbidden: [
    {
      name: 'adapter-to-adapter',
      comment: 'An adapter calls the application layer; it never imports another adapter. Shared mappers live in wire/.',
      severity: 'error',
      from: { path: `^apps/[^/]+/src/(${adapters})/` },
      to: { path: layer(adapters), pathNot: '^apps/[^/]+/src/$1/' },
    },
    {
      name: 'adapter-to-store',
      comment: 'Adapters reach stored data through use cases, never through a repository or a model.',
      severity: 'error',
      from: { path: layer(adapters) },
      to: { path: layer('store') },
    },
    {
      name: 'store-to-application',
      comment: 'The store implements what the application needs; it never depends on the application.',
      severity: 'error',
      from: { path: layer('store') },
      to: { path: layer('application') },
    },
    {
      name: 'store-to-outer',
      comment: 'The store maps documents to the domain; it knows no adapter and no wire format.',
      severity: 'error',
      from: { path: layer('store') },
      to: { path: layer(`${adapters}|wire`) },
    },
    {
      name: 'inner-to-outer',
      comment: 'Domain and application code never import adapters.',
      severity: 'error',
      from: { path: layer('domain|application') },
      to: { path: layer(adapters) },
    },
    {
      name: 'domain-is-pure',
      comment: 'The domain imports only the domain and shared pure libraries.',
      severity: 'error',
      from: { path: layer('domain') },
      to: { path: layer(`application|store|wire|${adapters}`) },
    },
    {
      name: 'wire-is-neutral',
      comment: 'wire/ translates between the domain and the contracts; it may use the domain and libs, nothing outer.',
      severity: 'error',
      from: { path: layer('wire') },
      to: { path: layer(`application|store|${adapters}`) },
    },
    {
      name: 'layers-to-composition',
      comment: 'Only the composition root (src/<service>-service.ts, src/main.ts) wires the layers; no layer imports it.',
      severity: 'error',
      from: { path: layer(`domain|application|store|wire|${adapters}`) },
      to: { path: '^apps/[^/]+/src/[^/]+-service\\.ts$|^apps/[^/]+/src/main\\.ts$' },
    },
    {
      name: 'no-cross-service',
      comment: 'A service reaches another one through its contract (gRPC, events), never through its code.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/src/' },
      to: { path: '^apps/[^/]+/src/', pathNot: '^apps/$1/src/' },
    },
    {
      name: 'no-framework-inside',
      comment: 'Domain, application and wire code hold no mongoose, express, grpc or amqplib type.',
      severity: 'error',
      from: { path: layer('domain|application|wire') },
      to: { path: frameworks },
    },
    {
      name: 'errors-without-transport',
      comment: 'libs/errors describes domain errors without a transport; the edges (libs/service-runtime) map their codes.',
      severity: 'error',
      from: { path: '^libs/errors/' },
      to: { path: '^node_modules/(@types/)?(@grpc|express)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Packages are not crawled, but imports of them stay in the graph: excluding node_modules would hide every
    // import of a framework from the rules above.
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/|/generated/' },
    tsConfig: { fileName: 'tsconfig.base.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
