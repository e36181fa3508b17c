// Detector throughput: evaluations per second on the spec example and on a large payload.
// Run with `npm run bench:detector`; one core, wall clock, after a warm-up.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { detect } from '../lambda/detector/detect';
import { measuredOn, writeReadmeFigures } from '../scripts/readme-figures';

type Json = Record<string, unknown>;

const sharedDir = process.env.AEGIS_SHARED_DIR ?? resolve(process.cwd(), '../shared');
const example = JSON.parse(
  readFileSync(resolve(sharedDir, 'spec/examples/observation.healthy.json'), 'utf8'),
) as Json;

function largeBundle(): Json {
  const b = structuredClone(example);
  const status = b.status_v3 as Json;
  status.open_positions = Array.from({ length: 200 }, (_, i) => ({
    symbol: `SYM${i}`,
    qty: 10 + i,
    tags: i % 50 === 0 ? ['Broker'] : ['strategy:momo'],
    exit_attempt_count: i % 7,
  }));
  status.recent_trades = Array.from({ length: 500 }, (_, i) => ({
    trade_id: `t-${i}`,
    symbol: `SYM${i % 200}`,
    closed_at: '2026-06-01T13:58:10Z',
    pnl: i % 3 === 0 ? -12.5 : 41.5,
    pnl_unknown: i % 100 === 0,
    exit_reason: 'take_profit',
  }));
  return b;
}

function measure(name: string, bundle: Json, seconds: number): string {
  const withPrevious = { ...bundle, previous: detect(bundle) };
  for (let i = 0; i < 2000; i++) detect(withPrevious);
  let n = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 200; i++) detect(withPrevious);
    n += 200;
    elapsed = process.hrtime.bigint() - start;
  }
  const perSec = n / (Number(elapsed) / 1e9);
  const usPer = Number(elapsed) / 1e3 / n;
  const rate = Math.round(perSec).toLocaleString('en-US');
  console.log(`${name.padEnd(40)} ${rate.padStart(10)} evaluations/s  (${usPer.toFixed(1)} us each, n=${n})`);
  return `- ${name}: ${rate} evaluations/s (${usPer.toFixed(1)} µs each)`;
}

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
console.log(`detector benchmark: node ${process.version}, ${seconds}s per case, previous output attached`);
const lines = [
  measure('example bundle (shared/spec/examples)', example, seconds),
  measure('200 open positions, 500 recent trades', largeBundle(), seconds),
];
writeReadmeFigures(
  'bench-detector',
  [`${measuredOn()} One core, ${seconds} s per case:`, '', ...lines].join('\n'),
);
