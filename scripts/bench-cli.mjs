// `npm run bench:cli`: whole-process wall time and peak RSS of the operator's command, median of N
// runs each, beside `node -e 0` measured in the same run, as ratios. A benchmark, not a test: the
// machine's load moves the absolute numbers, the ratios much less. Peak RSS comes from GNU time.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
// Run under tsx (package.json), which lets this plain script use the TypeScript README writer.
import { measuredOn, writeReadmeFigures } from './readme-figures.ts';
import { targetsText, verdict } from './bench-cli-targets.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const EXAMPLE = '../shared/spec/examples/observation.healthy.json';
const TIME = '/usr/bin/time';

spawnSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });

const cases = [
  ['node -e 0', ['-e', '0']],
  ['--help', ['dist/cli.js', '--help']],
  ['calendar', ['dist/cli.js', 'calendar', '--from', '2026-11-25', '--to', '2026-12-31']],
  ['detect --observation', ['dist/cli.js', 'detect', '--observation', EXAMPLE]],
];

function once(args) {
  const start = process.hrtime.bigint();
  const r = existsSync(TIME)
    ? spawnSync(TIME, ['-f', '%M', process.execPath, ...args], { encoding: 'utf8' })
    : spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const kb = Number(/(\d+)\s*$/.exec(r.stderr ?? '')?.[1] ?? NaN);
  return { ms, mb: kb / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const results = [];
for (const [name, args] of cases) {
  once(args); // warm the file cache
  const runs = Array.from({ length: RUNS }, () => once(args));
  results.push({ name, ms: median(runs.map((r) => r.ms)), mb: median(runs.map((r) => r.mb)) });
}
const base = results[0];
const jsBytes = readdirSync('dist/chunks')
  .filter((f) => f.endsWith('.js'))
  .reduce((sum, f) => sum + statSync(`dist/chunks/${f}`).size, statSync('dist/cli.js').size);

const rows = results.map((r) => {
  const ratio = r.ms / base.ms;
  const ok = r === base ? '' : verdict({ ratio, mb: r.mb });
  return { name: r.name, ms: r.ms.toFixed(0), ratio: ratio.toFixed(2), mb: r.mb.toFixed(1), ok };
});
const bundle = `bundle: dist/cli.js ${statSync('dist/cli.js').size} B; all chunks ${(jsBytes / 1024).toFixed(0)} KiB of JS`;
console.log(`median of ${RUNS} runs each, node ${process.version}`);
console.log(`command                  wall ms   x node   peak MB   targets: ${targetsText()}`);
for (const r of rows)
  console.log(`${r.name.padEnd(24)}${r.ms.padStart(8)}${r.ratio.padStart(9)}${r.mb.padStart(10)}   ${r.ok}`);
console.log(bundle);
writeReadmeFigures(
  'bench-cli',
  [
    `${measuredOn()} Median of ${RUNS} runs each (targets: ${targetsText()}):`,
    '',
    '| command | wall ms | x node | peak MB | |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| \`${r.name}\` | ${r.ms} | ${r.ratio} | ${r.mb} | ${r.ok} |`),
    '',
    `${bundle}.`,
  ].join('\n'),
);
