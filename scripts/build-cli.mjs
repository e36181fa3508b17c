// Bundles the operator CLI into dist/ so `npm run cli` and the `aegis-pt-health` bin work after `npm ci`.
// ESM with code splitting: dist/cli.js holds only dispatch and help; each command, and each AWS SDK
// client, is a chunk loaded on first use. The source map is written beside it but never loaded at
// start (no --enable-source-maps, no source-map-support). Rebuilds only when an input changed: the
// previous build's metafile lists every input, so their mtimes (and this script's) decide, and the
// baked versions must still be current. `--version` prints the package version and the code version,
// the same hash of the Lambda's sources and lockfile the stack outputs as MonitorCodeVersion.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';

const OUT_DIR = 'dist';
const META = `${OUT_DIR}/meta.json`;
const VERSIONS = `${OUT_DIR}/versions.json`;
const force = process.argv.includes('--force');

/** The stack's own function (lib/stack/code-version.ts), loaded as is: one owner for the hash. */
async function currentVersions() {
  const { code } = await transform(readFileSync('lib/stack/code-version.ts', 'utf8'), {
    loader: 'ts',
    format: 'esm',
  });
  const { codeVersion } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  return JSON.stringify({
    package: pkg.version,
    code: codeVersion(process.cwd()),
    engines: pkg.engines.node,
  });
}

const versions = await currentVersions();

function newestInput() {
  const meta = JSON.parse(readFileSync(META, 'utf8'));
  const inputs = [...Object.keys(meta.inputs), fileURLToPath(import.meta.url), 'package-lock.json'];
  return Math.max(...inputs.map((f) => statSync(f).mtimeMs));
}

function upToDate() {
  try {
    const built = statSync(`${OUT_DIR}/cli.js`).mtimeMs;
    return (
      newestInput() <= built &&
      statSync(META).mtimeMs <= built + 60_000 &&
      readFileSync(VERSIONS, 'utf8') === versions
    );
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
    define: {
      __AEGIS_PT_PACKAGE_VERSION__: JSON.stringify(JSON.parse(versions).package),
      __AEGIS_PT_CODE_VERSION__: JSON.stringify(JSON.parse(versions).code),
      __AEGIS_PT_NODE_ENGINES__: JSON.stringify(JSON.parse(versions).engines),
    },
    logLevel: 'warning',
  });
  writeFileSync(VERSIONS, versions);
  writeFileSync(META, JSON.stringify(result.metafile));
  // Drop chunks of earlier builds so dist/ holds exactly this build.
  const outputs = new Set(Object.keys(result.metafile.outputs));
  for (const name of readdirSync(`${OUT_DIR}/chunks`)) {
    if (!outputs.has(`${OUT_DIR}/chunks/${name}`)) rmSync(`${OUT_DIR}/chunks/${name}`, { force: true });
  }
}
