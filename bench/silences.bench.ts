// What the silence rules cost a check: detect() on the spec example with no silences, a typical file
// (5 silences) and the largest the command writes (100, one long chain of three codes), plus the run
// record's references. Run with `node scripts/run-bench.mjs bench/silences.bench.ts`; one core, wall
// clock, after a warm-up.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG } from '../lambda/detector/config';
import { detect } from '../lambda/detector/detect';
import { runObservation } from '../lambda/run-observation';

type Json = Record<string, unknown>;

const sharedDir = process.env.AEGIS_SHARED_DIR ?? resolve(process.cwd(), '../shared');
const example = JSON.parse(
  readFileSync(resolve(sharedDir, 'spec/examples/observation.healthy.json'), 'utf8'),
) as Json;
const nowMs = Date.parse(example.now as string);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function silences(n: number): Json[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `s-${i}`,
    codes: ['pending_order_buildup', 'pnl_unknown_trades', 'heartbeat_stale'],
    starts_at: iso(nowMs - 20 * 3_600_000 + i * 600_000),
    ends_at: iso(nowMs - 19 * 3_600_000 + i * 600_000),
    created_at: iso(nowMs - 20 * 3_600_000 + i * 300_000),
    reason: 'r'.repeat(400),
    created_by: 'arn:aws:iam::123456789012:user/alice',
    include_escalations: false,
    kind: 'manual',
  }));
}

function measure(name: string, list: Json[], seconds = 2): void {
  const run = () => {
    // A fresh list each time, as each check reads the file anew (no judgement is reused across checks).
    const bundle = { ...example, silences: [...list] } as Json;
    detect(bundle, DEFAULT_CONFIG);
    runObservation(bundle as never, { trigger: 'schedule:primary' }, DEFAULT_CONFIG, null);
  };
  for (let i = 0; i < 200; i++) run();
  let n = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() - start < budget) {
    for (let i = 0; i < 20; i++) run();
    n += 20;
  }
  const us = Number(process.hrtime.bigint() - start) / 1e3 / n;
  console.log(`${name.padEnd(44)} ${us.toFixed(0).padStart(7)} us per check (detect + record), n=${n}`);
}

measure('no silences', []);
measure('5 silences', silences(5));
measure('100 silences (the limit), one chain', silences(100));
