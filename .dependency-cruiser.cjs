/**
 * The layers of docs/architecture.md, checked on every `npm run lint`:
 *   src/kernel    db, events, jobs, mail, storage, text, web kit, config, errors, log: imports no module
 *   src/modules   one folder per capability, each owning its tables; imports the kernel and other
 *                 modules' services (never their repositories), never a surface
 *   src/surfaces  HTML pages, the API, OPDS, feeds, ActivityPub, the CLI: assemble modules' answers
 *   src/*.ts      the composition root (archive.ts, subscribers.ts, job-handlers.ts) and app.ts, main.ts
 * Violations that predate a rule are listed in .dependency-cruiser-known-violations.json and reported
 * as known; any new one fails the lint. Folder-level cycles are checked by scripts/folder-cycles.mjs.
 */
const ROOT_FILES = '^src/[^/]+\\.tsx?$';

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
      comment: 'The kernel never imports a module, a surface or the composition root.',
      from: { path: '^src/kernel/' },
      to: { path: ['^src/(modules|surfaces)/', ROOT_FILES] },
    },
    {
      name: 'migrations-are-frozen',
      severity: 'error',
      comment: 'A migration keeps its own copy of what it needs: live code changes under it.',
      from: { path: '^src/kernel/db/migrations/' },
      to: { path: '^src/', pathNot: ['^src/kernel/db/migrations/', '^src/kernel/db/schema\\.ts$'] },
    },
    {
      name: 'modules-import-no-surface',
      severity: 'error',
      comment: 'A module answers in data; pages, documents and commands are assembled above it.',
      from: { path: '^src/modules/' },
      to: { path: ['^src/surfaces/', ROOT_FILES] },
    },
    {
      name: 'no-other-modules-repository',
      severity: 'error',
      comment: "A module reaches another only through its public files, never its repository.",
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/[^/]+\\.repository\\.ts$', pathNot: '^src/modules/$1/' },
    },
    {
      name: 'surfaces-use-no-repository',
      severity: 'error',
      comment: 'A surface asks a module (its service), never its tables.',
      from: { path: ['^src/surfaces/', ROOT_FILES] },
      to: { path: '^src/modules/[^/]+/[^/]+\\.repository\\.ts$' },
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
