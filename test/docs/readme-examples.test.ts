// README's offline examples, run as written: each line of the block after the examples marker, in
// order, with bash, from a fresh copy of the clone's layout (so `.demo/` and the report they write land
// in a scratch directory), each with the exit code README gives it (`# exit N`, else 0).
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { scratchClone } from '../helpers/scratch-clone';

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../..');
const MARKER = '<!-- examples: run by test/docs/readme-examples.test.ts -->';

/** The commands of the first sh block after the marker, with the exit code each is documented to give. */
export function readmeExamples(readme: string): { command: string; exit: number }[] {
  const at = readme.indexOf(MARKER);
  if (at < 0) throw new Error(`README has no ${MARKER}`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error('no sh block after the examples marker');
  return block[1]
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const exit = /#\s*exit (\d+)/.exec(line);
      return { command: line, exit: exit ? Number(exit[1]) : 0 };
    });
}

/** A scratch directory laid out like a clone beside the shared folder, sharing the real files. */
function workspace(): string {
  // npx finds the package's own command only beside a real manifest and lockfile (not symlinks).
  const repo = scratchClone(ROOT, 'aegis-readme-', {
    copy: ['package.json', 'package-lock.json'],
    link: ['node_modules', 'dist', 'bin', 'lib', 'lambda', 'scripts', 'tsconfig.json'],
  });
  symlinkSync(realpathSync(resolve(ROOT, '../shared')), join(dirname(repo), 'shared'));
  return repo;
}

describe("README's examples", () => {
  const examples = readmeExamples(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('start with the shipped example bundle and cover the demo and the offline commands', () => {
    expect(examples[0].command).toContain('../shared/spec/examples/observation.healthy.json');
    expect(examples.map((e) => e.command)).toContain('npm run demo');
  });

  it('run as written, each with its documented exit code', () => {
    const cwd = workspace();
    const results = examples.map(({ command, exit }) => {
      const run = spawnSync('bash', ['-c', command], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, npm_config_offline: 'true', README_FIGURES: '0' },
      });
      return { command, expected: exit, status: run.status, out: run.stdout.length, err: run.stderr.slice(0, 400) };
    });
    for (const r of results) {
      expect({ command: r.command, status: r.status, err: r.err }).toEqual({
        command: r.command,
        status: r.expected,
        err: expect.any(String),
      });
      expect(r.out).toBeGreaterThan(0);
    }
    expect(readFileSync(join(cwd, 'report-2026-06-01.html'), 'utf8')).toContain('aegis-pt session report 2026-06-01');
  });
});
