// Time to know, per class of code: simulated session days on the real check sequence (the handler,
// the local store, the digest) with a simulated clock, EventBridge Scheduler's start jitter and
// faults at uniformly random instants, at the default cadence and at the 5-minute interleave; then
// the ECS event path on moto. Run with `npm run bench:latency` (BENCH_LATENCY_DAYS, BENCH_EVENT_TRIALS,
// BENCH_SEED to change the size or the draw).
import { DEFAULT_CONFIG } from '../lambda/detector/config';
import { cadenceDefinitions, DEFAULT_CADENCE, type CadenceName } from '../lambda/shared/schedules';
import { measuredOn, writeReadmeFigures } from '../scripts/readme-figures';
import { measureEventPath } from './latency/event-path';
import { FAULTS, type FaultClass } from './latency/faults';
import { FAULT_MS, simulate, type JitterModel, type Sample } from './latency/simulate-day';
import { seeded } from './seeded';

const DAYS = Number(process.env.BENCH_LATENCY_DAYS ?? 20);
const EVENT_TRIALS = Number(process.env.BENCH_EVENT_TRIALS ?? 10);
const SEED = Number(process.env.BENCH_SEED ?? 20260601);
const FROM = '2026-06-01';

/** Targets (issue #20): immediately critical codes told within 90 s at p95; escalations within
 * PERSIST_MIN_SEC + 90 s at p95. */
const TOLD_TARGET_SEC = 90;
const ESCALATED_TARGET_SEC = DEFAULT_CONFIG.persistMinSec + 90;
const FAULT_MIN = FAULT_MS / 60_000;

const CLASSES: readonly FaultClass[] = [
  'critical, escalates at once',
  'critical, never escalates',
  'critical, escalates when persisted',
  'warn, critical when persisted',
];

/** Nearest-rank quantile. */
function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function triple(xs: readonly number[]): string {
  if (xs.length === 0) return '-';
  return `${quantile(xs, 0.5).toFixed(0)} / ${quantile(xs, 0.95).toFixed(0)} / ${Math.max(...xs).toFixed(0)}`;
}

interface Run {
  readonly label: string;
  readonly samples: Sample[];
}

async function run(cadence: CadenceName, jitter: JitterModel): Promise<Run> {
  const started = performance.now();
  const { samples, runs } = await simulate({
    definitions: cadenceDefinitions(cadence),
    jitter,
    random: seeded(SEED),
    days: DAYS,
    fromDate: FROM,
  });
  const never = samples.filter((s) => s.toldSec === undefined).length;
  console.log(
    `  ${cadence} (${jitter} start): ${DAYS} days, ${runs} checks, ${samples.length} faults` +
      `${never ? `, ${never} NEVER TOLD` : ''} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
  return { label: `${cadence}, ${jitter}`, samples };
}

function table(runs: readonly Run[]): string[] {
  const head = ['class (codes)', ...runs.flatMap((r) => [`${r.label}: told`, `${r.label}: escalated`])];
  const rows = CLASSES.map((cls) => {
    const codes = FAULTS.filter((f) => f.cls === cls).map((f) => `\`${f.code}\``);
    const cells = runs.flatMap((r) => {
      const of = r.samples.filter((s) => s.cls === cls);
      const told = of.map((s) => s.toldSec).filter((x): x is number => x !== undefined);
      const escalated = of.map((s) => s.escalatedSec).filter((x): x is number => x !== undefined);
      const missing = of.length - told.length;
      const late = cls === 'critical, never escalates' ? 0 : of.length - escalated.length;
      return [
        `${triple(told)}${missing ? ` (${missing} never)` : ''}`,
        `${triple(escalated)}${late ? ` (${late} of ${of.length} not within the fault's ${FAULT_MIN} min)` : ''}`,
      ];
    });
    return [`${cls} (${codes.join(', ')})`, ...cells];
  });
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`);
}

function verdicts(r: Run): string[] {
  const told = r.samples
    .filter((s) => s.cls !== 'warn, critical when persisted')
    .map((s) => s.toldSec ?? Infinity);
  const escalated = r.samples
    .filter(
      (s) => s.cls === 'critical, escalates when persisted' || s.cls === 'warn, critical when persisted',
    )
    .map((s) => s.escalatedSec ?? Infinity);
  const p95t = quantile(told, 0.95);
  const p95e = quantile(escalated, 0.95);
  const sec = (x: number) =>
    Number.isFinite(x) ? `${x.toFixed(0)} s` : `beyond the fault's ${FAULT_MIN} min`;
  return [
    `${r.label}: critical codes told at p95 ${sec(p95t)} (target ${TOLD_TARGET_SEC} s: ${p95t <= TOLD_TARGET_SEC ? 'met' : 'MISSED'}); ` +
      `persisted escalations and rises at p95 ${sec(p95e)} (target ${ESCALATED_TARGET_SEC} s: ${p95e <= ESCALATED_TARGET_SEC ? 'met' : 'MISSED'})`,
  ];
}

async function main() {
  console.log(
    `bench:latency: node ${process.version}, seed ${SEED}, ${DAYS} session days per row from ${FROM}`,
  );
  const runs = [
    await run(DEFAULT_CADENCE, 'independent'),
    await run(DEFAULT_CADENCE, 'fixed'),
    await run('5m', 'independent'),
  ];
  const lines = table(runs);
  const judged = runs.flatMap(verdicts);
  for (const l of [...lines, ...judged]) console.log(l);
  const events = await measureEventPath(EVENT_TRIALS);
  const eventLines = events.map(
    (e) =>
      `${e.event}: event in, alert out in ${quantile(e.seconds, 0.5).toFixed(2)} s median, ` +
      `${quantile(e.seconds, 0.95).toFixed(2)} s p95, ${Math.max(...e.seconds).toFixed(2)} s max (${e.seconds.length} trials)`,
  );
  for (const l of eventLines) console.log(l);
  writeReadmeFigures(
    'bench-latency',
    [
      `${measuredOn()} Seed ${SEED}; ${DAYS} session days per column, a fault from the catalog appearing ` +
        `at a uniformly random instant of the first 5 minutes of every 20 of the session and lasting ${FAULT_MIN}; seconds from the ` +
        'fault appearing in the dashboard to the first publish that names it (told) and to the one that ' +
        'escalates it or raises it to critical (escalated), p50 / p95 / max. Scheduler starts each check ' +
        'somewhere in its minute: `independent` draws every start anew, `fixed` one offset per schedule and day.',
      '',
      ...lines,
      '',
      ...judged.map((j) => `- ${j}`),
      '',
      "ECS events on the event path (real handler and adapters on moto, SNS to an SQS inbox; EventBridge's own delivery not included):",
      '',
      ...eventLines.map((l) => `- ${l}`),
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
