/**
 * The layers of docs/architecture.md, checked on every `npm run lint`. Violations that predate
 * these rules are listed in .dependency-cruiser-known-violations.json and reported as known; any
 * new one fails the lint. Remove entries from that file as the redesign removes them.
 */
const KERNEL = '^src/(db|events|text|web|storage)/|^src/(config|errors|timers|log|log-format)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No file may reach itself through the imports that run (type-only imports vanish when compiled).',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'kernel-imports-no-module',
      severity: 'error',
      comment: 'The kernel (db, events, text, web, storage, config, errors) never imports a feature module.',
      from: { path: KERNEL, pathNot: '^src/db/migrations/' },
      to: { path: '^src/features/' },
    },
    {
      name: 'migrations-are-frozen',
      severity: 'error',
      comment: 'A migration keeps its own copy of what it needs: live feature code changes under it.',
      from: { path: '^src/db/migrations/' },
      to: { path: '^src/features/' },
    },
    {
      name: 'no-other-modules-repository',
      severity: 'error',
      comment: "A module reaches another only through its service (public entry), never its repository.",
      from: { path: '^src/features/([^/]+)/' },
      to: { path: '^src/features/([^/]+)/[^/]+\\.repository\\.ts$', pathNot: '^src/features/$1/' },
    },
    {
      name: 'runtime-imports-are-dependencies',
      severity: 'error',
      comment: 'What the built server imports must survive npm prune --omit=dev.',
      from: { path: '^src/', pathNot: '\\.test\\.tsx?$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.tsx?$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
