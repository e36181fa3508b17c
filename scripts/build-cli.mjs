// Bundles the operator CLI into dist/ so `npm run cli` and the `aegis-pt-health` bin work after `npm ci`.
// ESM with code splitting: dist/cli.js holds only dispatch and help; each command, and each AWS SDK
// client, is a chunk loaded on first use. The source map is written beside it but never loaded at
// start (no --enable-source-maps, no source-map-support). Rebuilds only when an input changed: the
// previous build's metafile lists every input, so their mtimes (and this script's) decide, and the
// baked versions must still be current. `--version` prints the package version and the code version,
// the same hash of the Lambda's sources and lockfile the stack outputs as MonitorCodeVersion.
//
// It always builds the clone it belongs to, whatever the caller's directory: a scratch copy whose
// bin/, lambda/ and dist/ are links to this clone (README's examples run from one) would otherwise
// bundle with paths relative to the copy and write that metafile into the real dist/. Builds are
// serialised by a lock directory, because the test suites start several at once, and the metafile is
// renamed into place last, so a reader never sees a half-written one.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';

// Node runs the main module from its real path, so this is the clone's own root even through a link.
const SCRIPT = fileURLToPath(import.meta.url);
process.chdir(join(dirname(SCRIPT), '..'));

const OUT_DIR = 'dist';
const META = `${OUT_DIR}/meta.json`;
const VERSIONS = `${OUT_DIR}/versions.json`;
const LOCK = `${OUT_DIR}/.build-lock`;
const LOCK_STALE_MS = 120_000;
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
  // A metafile written with another working directory names the entry otherwise: not this clone's build.
  if (meta.outputs[`${OUT_DIR}/cli.js`]?.entryPoint !== 'bin/cli.ts') return Infinity;
  const inputs = [...Object.keys(meta.inputs), SCRIPT, 'package-lock.json'];
  return Math.max(...inputs.map((f) => statSync(f).mtimeMs));
}

function upToDate() {
  try {
    const built = statSync(`${OUT_DIR}/cli.js`).mtimeMs;
    const metaWritten = statSync(META).mtimeMs;
    return (
      newestInput() <= built &&
      // The metafile comes last; one older than the bundle is from a build that never finished.
      built <= metaWritten &&
      metaWritten <= built + 60_000 &&
      readFileSync(VERSIONS, 'utf8') === versions
    );
  } catch {
    return false; // no previous build, or an input was deleted or renamed
  }
}

/** Whether the build that took the lock is gone: its pid, written in the lock, names no process. */
function ownerGone() {
  let pid;
  try {
    pid = Number(readFileSync(`${LOCK}/owner`, 'utf8'));
  } catch {
    return false; // not written yet (the lock was just taken), or released: the age decides
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}

/**
 * Holds the lock directory while `work` runs. A lock whose owner's process is gone was left by a killed
 * build (SIGKILL, Ctrl-C: no finally runs) and is taken at once; one older than LOCK_STALE_MS whatever
 * its owner says (a pid reused since) is taken too.
 */
async function locked(work) {
  mkdirSync(OUT_DIR, { recursive: true });
  const deadline = Date.now() + 2 * LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(`${LOCK}/owner`, String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let age = 0;
      try {
        age = Date.now() - statSync(LOCK).mtimeMs;
      } catch {
        continue; // released between the two calls
      }
      if (age > LOCK_STALE_MS || ownerGone()) {
        // Renamed away first, so that of two builds finding it stale only one removes it.
        const away = `${LOCK}.stale-${process.pid}`;
        try {
          renameSync(LOCK, away);
        } catch {
          continue;
        }
        rmSync(away, { recursive: true, force: true });
      } else if (Date.now() > deadline)
        throw new Error(`build-cli: ${LOCK} held for over ${2 * LOCK_STALE_MS} ms`);
      else await sleep(100);
    }
  }
  try {
    await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Writes a file whole or not at all: a parallel reader sees the old text or the new. */
function writeWhole(path, text) {
  writeFileSync(`${path}.tmp-${process.pid}`, text);
  renameSync(`${path}.tmp-${process.pid}`, path);
}

async function rebuild() {
  // Written in place (no rm -rf first): a concurrent reader, e.g. a parallel test, never sees an empty dist/.
  // dist/ is ESM whatever the root package says; the bin keeps its name dist/cli.js.
  writeWhole(`${OUT_DIR}/package.json`, '{ "type": "module" }\n');
  const result = await build({
    absWorkingDir: process.cwd(),
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
  // Drop chunks of earlier builds so dist/ holds exactly this build.
  const outputs = new Set(Object.keys(result.metafile.outputs));
  for (const name of readdirSync(`${OUT_DIR}/chunks`)) {
    if (!outputs.has(`${OUT_DIR}/chunks/${name}`)) rmSync(`${OUT_DIR}/chunks/${name}`, { force: true });
  }
  writeWhole(VERSIONS, versions);
  // Last: the metafile is what says the build is whole (upToDate reads it).
  writeWhole(META, JSON.stringify(result.metafile));
}

// Checked again under the lock: a parallel build may have finished while this one waited.
if (force || !upToDate()) await locked(async () => (force || !upToDate() ? rebuild() : undefined));
