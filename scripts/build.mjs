// Compiles the archive to dist/: one ES module for the CLI and server, one each for the text and book workers, and
// the static files beside them. esbuild takes ~0.2 s, so `npm start` builds every time and is never stale.
import { cpSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const out = new URL('dist/', root);
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: {
    main: 'src/main.ts',
    'render.worker': 'src/kernel/text/render.worker.ts',
    'book.worker': 'src/kernel/text/book.worker.ts',
  },
  absWorkingDir: root.pathname,
  outdir: 'dist',
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  // Separate chunks for what is loaded only when configured (federation), so its packages load only then.
  splitting: true,
  target: 'node20',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  sourcemap: true,
  logLevel: 'warning',
});
cpSync(new URL('src/kernel/web/static/', root), new URL('static/', out), { recursive: true });
