// Handler benchmark: the Lambda bundle as deployed (size), cold start (module load + first invocation)
// as deployed (its source map loaded: the function's NODE_OPTIONS) and without the source map, and warm
// invocations as deployed, in fresh node processes, against moto and a dashboard on loopback. Warm runs
// are measured in two states of the bucket: the steady state (the previous session's digest sent) and
// the first day after a deploy (hours of today's records, no digest marker for the previous session).
// Run with `npm run bench:handler`.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG } from '../lambda/detector/config';
import { MARKER_WRITER } from '../lambda/digest/send-digest';
import { detect } from '../lambda/detector/detect';
import type { RunRecord } from '../lambda/detector/types';
import { scheduleDefinitions } from '../lambda/shared/schedules';
import { digestSessionAt } from '../lambda/shared/session-rhythm';
import { digestKey, encodeRun, runKey } from '../lambda/shared/state-layout';
import { LAMBDA_ENTRY, LAMBDA_NODE_OPTIONS, LAMBDA_NODE_TARGET } from '../lib/stack/lambda-bundle';
import { startDashboard } from '../lib/demo/fakes/dashboard-server';
import { startMoto, useEmulatorEnv, createBucket } from '../test/integration/moto-server';
import { measuredOn, writeReadmeFigures } from '../scripts/readme-figures';

const ROOT = process.cwd();
const OUT = resolve(ROOT, 'bench/.out/lambda');
const sharedDir = process.env.AEGIS_SHARED_DIR ?? resolve(ROOT, '../shared');
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 50);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
/** Records already in the bucket for the warm states: one a minute for five hours. */
const SEEDED_RECORDS = Number(process.env.BENCH_SEEDED_RECORDS ?? 300);

// The child measures itself: require (module load), the first invocation, then warm invocations.
const CHILD = `
const t0 = performance.now();
const c0 = process.cpuUsage();
const { handler } = require(process.env.BENCH_BUNDLE);
const loadMs = performance.now() - t0;
(async () => {
  const t1 = performance.now();
  await handler({ trigger: 'schedule:primary' });
  const firstMs = performance.now() - t1;
  const coldCpuMs = (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1000;
  const warm = [];
  for (let i = 0; i < Number(process.env.BENCH_WARM_RUNS); i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await handler({ trigger: 'schedule:fallback' });
    const cpu = process.cpuUsage(c);
    warm.push({ wall: performance.now() - t, cpu: (cpu.user + cpu.system) / 1000 });
  }
  process.stderr.write('@@RESULT' + JSON.stringify({ loadMs, firstMs, coldCpuMs, warm }) + '\\n');
})();
`;

function runChild(path: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [path], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('exit', () => ok(err));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];

type WarmState = 'steady' | 'first-day';

/** Today's records (one a minute, up to now) and, in the steady state, the previous digest's marker. */
async function seed(s3: S3Client, bucket: string, state: WarmState, example: Record<string, unknown>) {
  const nowMs = Date.now();
  for (let i = SEEDED_RECORDS; i >= 1; i--) {
    const at = new Date(nowMs - i * 60_000).toISOString();
    const output = detect({ ...example, now: at, previous: null }, DEFAULT_CONFIG);
    const record: RunRecord = { ...output, trigger: { trigger: 'schedule:primary' }, run_id: `seed${i}` };
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: runKey(record), Body: encodeRun(record) }));
  }
  const session = digestSessionAt(nowMs, DEFAULT_CONFIG.postCloseReconcileSec, scheduleDefinitions());
  if (state === 'steady' && session) {
    // As the check writes it: a marker without its writer is taken for forged and the digest goes out.
    const marker = {
      writer: MARKER_WRITER,
      state: 'sent',
      session_date: session.date,
      run_id: 'seed',
      claimed_at: new Date(nowMs).toISOString(),
    };
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: digestKey(session.date), Body: JSON.stringify(marker) }),
    );
  }
}

async function main() {
  await build({
    entryPoints: [LAMBDA_ENTRY],
    outfile: `${OUT}/index.js`,
    bundle: true,
    minify: true,
    sourcemap: true,
    platform: 'node',
    target: LAMBDA_NODE_TARGET,
    logLevel: 'warning',
  });
  const size = statSync(`${OUT}/index.js`).size;
  const mapSize = statSync(`${OUT}/index.js.map`).size;

  const moto = await startMoto();
  useEmulatorEnv(moto.endpoint);
  const dash = await startDashboard();
  try {
    const example = JSON.parse(
      readFileSync(resolve(sharedDir, 'spec/examples/observation.healthy.json'), 'utf8'),
    );
    const s3 = new S3Client({ forcePathStyle: true });
    const topic = await new SNSClient({}).send(new CreateTopicCommand({ Name: 'bench' }));
    const childPath = `${OUT}/child.js`;
    writeFileSync(childPath, CHILD);
    const results: { loadMs: number; firstMs: number; coldCpuMs: number; warm: unknown }[] = [];
    const states: WarmState[] = ['steady', 'first-day'];
    // Cold starts on empty buckets, as deployed and without the source map in turn, then one child
    // per warm state (as deployed) on a seeded bucket.
    const bare: { loadMs: number; firstMs: number; coldCpuMs: number }[] = [];
    for (let i = 0; i < 2 * COLD_RUNS + states.length; i++) {
      const cold = i < 2 * COLD_RUNS;
      const deployed = !cold || i % 2 === 0;
      const bucket = `bench-${i}`;
      await createBucket(s3, bucket);
      const state = cold ? undefined : states[i - 2 * COLD_RUNS];
      if (state) await seed(s3, bucket, state, example);
      dash.serve({ kind: 'json', body: { ...example.status_v3, heartbeat_at: new Date().toISOString() } });
      // Asynchronous: the dashboard this process serves must keep answering while the child runs.
      const stderr = await runChild(childPath, {
        ...process.env,
        BENCH_BUNDLE: `${OUT}/index.js`,
        BENCH_WARM_RUNS: String(state ? WARM_RUNS : 0),
        AEGIS_PT_CLUSTER: 'aegis-pt',
        AEGIS_PT_DASHBOARD_URL: dash.url,
        AEGIS_PT_STATE_BUCKET: bucket,
        AEGIS_PT_TOPIC_ARN: topic.TopicArn as string,
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        NODE_OPTIONS: deployed ? LAMBDA_NODE_OPTIONS : '',
      });
      const line = stderr.split('\n').find((l) => l.startsWith('@@RESULT'));
      if (!line) throw new Error(`child printed no result:\n${stderr}`);
      (deployed ? results : bare).push(JSON.parse(line.slice(8)));
    }
    const cold = results.slice(0, COLD_RUNS);
    const warmOf = (state: WarmState) =>
      results[COLD_RUNS + states.indexOf(state)].warm as { wall: number; cpu: number }[];
    const coldLine = (runs: typeof bare, label: string) =>
      `cold start, ${label}: module load ${median(runs.map((r) => r.loadMs)).toFixed(1)} ms + first invocation ${median(runs.map((r) => r.firstMs)).toFixed(1)} ms = ${median(runs.map((r) => r.loadMs + r.firstMs)).toFixed(1)} ms wall (median); CPU ${median(runs.map((r) => r.coldCpuMs)).toFixed(1)} ms`;
    const warmLine = (state: WarmState, label: string) => {
      const warm = warmOf(state);
      return `warm invocation, ${label}: wall median ${median(warm.map((w) => w.wall)).toFixed(2)} ms, p95 ${p95(warm.map((w) => w.wall)).toFixed(2)} ms (includes moto's own time); our CPU median ${median(warm.map((w) => w.cpu)).toFixed(2)} ms, p95 ${p95(warm.map((w) => w.cpu)).toFixed(2)} ms`;
    };
    console.log(
      `handler benchmark: node ${process.version}, ${COLD_RUNS} cold starts, ${WARM_RUNS} warm invocations`,
    );
    const figures = [
      `bundle (as deployed, minified): ${(size / 1024).toFixed(0)} KiB, source map ${(mapSize / 1024).toFixed(0)} KiB`,
      coldLine(cold, `as deployed (NODE_OPTIONS=${LAMBDA_NODE_OPTIONS}, the source map loaded)`),
      coldLine(bare, 'without the source map'),
      warmLine('steady', `steady state (${SEEDED_RECORDS} records today, previous digest sent)`),
      warmLine('first-day', `first day after a deploy (${SEEDED_RECORDS} records today, no digest marker)`),
    ];
    for (const f of figures) console.log(f);
    writeReadmeFigures(
      'bench-handler',
      [
        `${measuredOn()} ${COLD_RUNS} cold starts each way, ${WARM_RUNS} warm invocations as deployed:`,
        '',
        ...figures.map((f) => `- ${f}`),
      ].join('\n'),
    );
  } finally {
    await dash.close();
    await moto.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
