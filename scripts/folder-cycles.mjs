// Fails when folders import each other in a circle (src/kernel/db ↔ src/modules/stories, say), which
// file-level rules cannot see: a folder is one kernel part, one module or one surface. Reads the
// import graph dependency-cruiser builds, counting imports that run (type-only ones vanish when compiled).
import { execFileSync } from 'node:child_process';

const graph = JSON.parse(
  execFileSync('npx', ['depcruise', 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }),
);
const folderOf = (path) =>
  /^src\/(kernel|modules|surfaces\/html|surfaces)\/([^/]+)\//.exec(path)?.slice(1, 3).join('/') ??
  /^src\/([^/]+)\//.exec(path)?.[1] ??
  path;

const edges = new Map();
for (const module of graph.modules) {
  if (!module.source.startsWith('src/')) continue;
  const from = folderOf(module.source);
  for (const dependency of module.dependencies) {
    if (!dependency.resolved.startsWith('src/') || dependency.dependencyTypes.includes('type-only')) continue;
    const to = folderOf(dependency.resolved);
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from).has(to)) edges.get(from).set(to, `${module.source} → ${dependency.resolved}`);
  }
}

// Tarjan's strongly connected components: any with more than one folder is a circle.
let next = 0;
const index = new Map();
const low = new Map();
const stack = [];
const circles = [];
function visit(folder) {
  index.set(folder, next);
  low.set(folder, next++);
  stack.push(folder);
  for (const to of edges.get(folder)?.keys() ?? []) {
    if (!index.has(to)) {
      visit(to);
      low.set(folder, Math.min(low.get(folder), low.get(to)));
    } else if (stack.includes(to)) low.set(folder, Math.min(low.get(folder), index.get(to)));
  }
  if (low.get(folder) !== index.get(folder)) return;
  const circle = [];
  let member;
  do {
    member = stack.pop();
    circle.push(member);
  } while (member !== folder);
  if (circle.length > 1) circles.push(circle);
}
for (const folder of edges.keys()) if (!index.has(folder)) visit(folder);

if (circles.length === 0) {
  console.log(`✔ no import cycle between folders (${edges.size} folders)`);
} else {
  for (const circle of circles) {
    console.error(`✘ folders import each other in a circle: ${circle.sort().join(', ')}`);
    for (const from of circle)
      for (const [to, example] of edges.get(from) ?? []) if (circle.includes(to)) console.error(`    ${from} → ${to}  (${example})`);
  }
  process.exit(1);
}
