// The operator's command stays small and instant: the bundle's metafile says what it holds and what
// each command loads at start. Fails if aws-cdk-lib (or constructs, cdk-nag) leaks into the CLI.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchClone } from '../helpers/scratch-clone';

const root = join(__dirname, '..', '..');

interface Metafile {
  readonly outputs: Record<
    string,
    {
      readonly bytes: number;
      readonly entryPoint?: string;
      readonly inputs: Record<string, unknown>;
      readonly imports: readonly { readonly path: string; readonly kind: string }[];
    }
  >;
}

let meta: Metafile;

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root });
  meta = JSON.parse(readFileSync(join(root, 'dist', 'meta.json'), 'utf8')) as Metafile;
}, 120_000);

const packagesOf = (inputs: Iterable<string>): Set<string> =>
  new Set(
    [...inputs]
      .map((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(i)?.[1])
      .filter((p): p is string => p !== undefined),
  );

/** Every input a command's chunk pulls in before it runs: its static import closure. */
function staticClosure(output: string): Set<string> {
  const seen = new Set<string>();
  const inputs = new Set<string>();
  const visit = (o: string): void => {
    if (seen.has(o)) return;
    seen.add(o);
    for (const i of Object.keys(meta.outputs[o].inputs)) inputs.add(i);
    for (const imp of meta.outputs[o].imports)
      if (imp.kind === 'import-statement' && meta.outputs[imp.path]) visit(imp.path);
  };
  visit(output);
  return inputs;
}

function chunkOf(entry: string): string {
  const found = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === entry);
  if (!found) throw new Error(`no chunk for ${entry}`);
  return found[0];
}

describe('the CLI bundle (dist/meta.json)', () => {
  it('holds no aws-cdk-lib, constructs or cdk-nag', () => {
    const all = packagesOf(Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs)));
    expect(all.has('aws-cdk-lib')).toBe(false);
    expect(all.has('constructs')).toBe(false);
    expect(all.has('cdk-nag')).toBe(false);
  });

  it('stays small: under 2 MB of JavaScript in all, and the entry under 16 KB', () => {
    const js = Object.entries(meta.outputs).filter(([name]) => name.endsWith('.js'));
    const total = js.reduce((sum, [, o]) => sum + o.bytes, 0);
    expect(total).toBeLessThan(2 * 1024 * 1024);
    expect(meta.outputs['dist/cli.js'].bytes).toBeLessThan(16 * 1024);
  });

  it('starts without the AWS SDK or zod: --help loads only dispatch', () => {
    const pkgs = packagesOf(staticClosure('dist/cli.js'));
    expect([...pkgs]).toEqual([]);
  });

  const SDK = /^@(aws-sdk|smithy|aws-lambda-powertools)\//;

  it.each([
    'bin/commands/calendar.ts',
    'bin/commands/detect.ts',
    'bin/commands/gap.ts',
    'bin/commands/replay.ts',
    'bin/commands/gate.ts',
    'bin/commands/snapshot.ts',
    'bin/commands/report.ts',
    'bin/commands/kpi.ts',
  ])('%s loads no SDK client before it needs one', (entry) => {
    expect([...packagesOf(staticClosure(chunkOf(entry)))].filter((p) => SDK.test(p))).toEqual([]);
  });

  it('loads the source map only on request', () => {
    const text = readFileSync(join(root, 'dist', 'cli.js'), 'utf8');
    expect(text).not.toMatch(/source-map-support|enable-source-maps/);
  });

  it('does not rebuild when nothing changed', () => {
    const before = readFileSync(join(root, 'dist', 'meta.json'), 'utf8');
    const t0 = Date.now();
    const run = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(readFileSync(join(root, 'dist', 'meta.json'), 'utf8')).toBe(before);
    // No esbuild run: reading the metafile and stat'ing inputs only.
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('builds its own clone from any directory: a linked scratch copy leaves dist/ as it was', () => {
    // README's examples run from such a copy (test/docs/readme-examples.test.ts), with fresh copies of
    // the manifest and lockfile: the build must neither redo the bundle from there nor write a metafile
    // whose paths are relative to the copy.
    const copy = scratchClone(root, 'aegis-bundle-', {
      copy: ['package.json', 'package-lock.json'],
      link: ['node_modules', 'dist', 'bin', 'lib', 'lambda', 'scripts'],
    });
    const before = readFileSync(join(root, 'dist', 'meta.json'), 'utf8');
    const run = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: copy, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(readFileSync(join(root, 'dist', 'meta.json'), 'utf8')).toBe(before);
    const after = JSON.parse(before) as Metafile & { readonly inputs: Record<string, unknown> };
    const paths = [
      ...Object.keys(after.inputs),
      ...Object.values(after.outputs).flatMap((o) => (o.entryPoint ? [o.entryPoint] : [])),
    ];
    // Sources are named from the clone's root (dependencies may sit behind a linked node_modules).
    expect(paths.filter((p) => !p.includes('node_modules/') && /^(\.\.\/|\/)/.test(p))).toEqual([]);
    expect(after.outputs['dist/cli.js'].entryPoint).toBe('bin/cli.ts');
  });

  it('a build killed while it holds the lock does not hold up the next one', async () => {
    // A clone of its own (the script builds the clone it sits in), so the kill leaves this dist/ alone.
    const clone = scratchClone(root, 'aegis-lock-', {
      copy: ['package.json', 'package-lock.json', 'scripts/build-cli.mjs'],
      link: ['node_modules', 'bin', 'lib', 'lambda'],
    });
    const lock = join(clone, 'dist', '.build-lock');
    const killed = spawn(process.execPath, ['scripts/build-cli.mjs'], { cwd: clone, stdio: 'ignore' });
    const exited = new Promise((done) => killed.on('exit', done));
    // Killed the way Ctrl-C or a test runner's timeout does: no finally runs.
    while (!existsSync(lock) && killed.exitCode === null) await new Promise((r) => setTimeout(r, 2));
    expect(existsSync(lock)).toBe(true);
    killed.kill('SIGKILL');
    await exited;
    expect(existsSync(lock)).toBe(true);
    const t0 = Date.now();
    const run = spawnSync(process.execPath, ['scripts/build-cli.mjs', '--force'], {
      cwd: clone,
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(run.status).toBe(0);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(join(clone, 'dist', 'meta.json'))).toBe(true);
  }, 120_000);

  it('prints a usage error in one line without a stack', () => {
    const run = spawnSync(
      process.execPath,
      [
        'dist/cli.js',
        'report',
        '--date',
        '2026-11-24',
        '--runs-dir',
        'test',
        '--out',
        '/nonexistent/dir/r.html',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'aegis-pt-health report: cannot write the report: no such directory for /nonexistent/dir/r.html',
    ]);
  });
});
