// Bundles the operator CLI into dist/ so `npm run cli` and the `aegis-pt-health` bin work after `npm ci`.
// ESM with code splitting: dist/cli.js holds only dispatch and help; each command, and each AWS SDK
// client, is a chunk loaded on first use. The source map is written beside it but never loaded at
// start (no --enable-source-maps, no source-map-support). Rebuilds only when an input changed: the
// previous build's metafile lists every input, so their mtimes (and this script's) decide.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const OUT_DIR = 'dist';
const META = `${OUT_DIR}/meta.json`;
const force = process.argv.includes('--force');

function newestInput() {
  const meta = JSON.parse(readFileSync(META, 'utf8'));
  const inputs = [...Object.keys(meta.inputs), fileURLToPath(import.meta.url), 'package-lock.json'];
  return Math.max(...inputs.map((f) => statSync(f).mtimeMs));
}

function upToDate() {
  try {
    const built = statSync(`${OUT_DIR}/cli.js`).mtimeMs;
    return newestInput() <= built && statSync(META).mtimeMs <= built + 60_000;
  } catch {
    return false; // no previous build, or an input was deleted or renamed
  }
}

if (force || !upToDate()) {
  // Written in place (no rm -rf first): a concurrent reader, e.g. a parallel test, never sees an empty dist/.
  mkdirSync(OUT_DIR, { recursive: true });
  // dist/ is ESM whatever the root package says; the bin keeps its name dist/cli.js.
  writeFileSync(`${OUT_DIR}/package.json`, '{ "type": "module" }\n');
  const result = await build({
    entryPoints: { cli: 'bin/cli.ts' },
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Prefer the packages' ES builds so the SDK splits and tree-shakes per client.
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    // CommonJS dependencies inside an ES bundle still call require() for Node built-ins.
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __aegisCreateRequire } from 'node:module';\nconst require = __aegisCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  writeFileSync(META, JSON.stringify(result.metafile));
  // Drop chunks of earlier builds so dist/ holds exactly this build.
  const outputs = new Set(Object.keys(result.metafile.outputs));
  for (const name of readdirSync(`${OUT_DIR}/chunks`)) {
    if (!outputs.has(`${OUT_DIR}/chunks/${name}`)) rmSync(`${OUT_DIR}/chunks/${name}`, { force: true });
  }
}
