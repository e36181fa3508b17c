// Runs a benchmark the way the code runs in Lambda: bundled by esbuild, then plain node.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';

const entry = process.argv[2];
if (!entry) {
  console.error('usage: node scripts/run-bench.mjs bench/<name>.bench.ts [args...]');
  process.exit(2);
}
const outdir = resolve('bench/.out');
mkdirSync(outdir, { recursive: true });
const outfile = resolve(outdir, basename(entry).replace(/\.ts$/, '.js'));
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // esbuild's own API cannot be bundled; it is loaded from node_modules at run time.
  external: ['esbuild'],
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(3)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
