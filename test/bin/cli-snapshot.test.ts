// `snapshot` offline from --runs-dir alone, and `--append` to the Markdown work log.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { FsStore } from '../../lambda/adapters/fs-store';
import { runCheck } from '../../lambda/run-check';
import { addSilence, buildSilence } from '../../lib/ops/silences';
import { WORK_LOG_HEADING } from '../../lib/ops/work-log';
import { bundle } from '../helpers/bundle';
import { localDeps, payloadAt } from '../helpers/check-deps';
import { captureIo } from '../helpers/cli-io';

/** Three checks by the real sequence; the last sees two pending orders. */
async function storedRuns(): Promise<string> {
  const deps = localDeps('http://127.0.0.1:9');
  let payload: Record<string, unknown> = {};
  const checked = { ...deps, dashboard: { fetch: async () => ({ payload }) } };
  for (const [at, changes] of [
    ['2026-06-01T14:07:20Z', {}],
    ['2026-06-01T14:12:20Z', {}],
    ['2026-06-01T14:17:20Z', { pending_orders: 2 }],
  ] as const) {
    deps.clockAt.iso = at;
    payload = payloadAt(at, changes);
    await runCheck(checked, { trigger: 'schedule:primary' });
  }
  return deps.dir;
}

async function run(args: string[]) {
  // No AEGIS_PT_CLUSTER or dashboard: anything live would stop with a configuration error.
  const io = captureIo({ now: '2026-06-01T14:20:00Z', env: {} });
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

describe('snapshot offline from --runs-dir', () => {
  it('takes the latest stored run as evidence, with no dashboard, ECS or AWS', async () => {
    const dir = await storedRuns();
    const r = await run(['snapshot', '--runs-dir', dir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`- Source: stored run 2026-06-01T14:17:20Z schedule:primary in ${dir} (offline)`);
    expect(r.out).toContain('- ET: 2026-06-01T10:17:20-04:00');
    expect(r.out).toContain('- Service aegis-pt-core: status=ACTIVE desired=1 running=1 pending=0');
    expect(r.out).toMatch(/- Heartbeat: .* \(age 10s\)/);
    expect(r.out).toContain('- Pending: orders=2 ');
    expect(r.out.trimEnd().split('\n').at(-1)).toBe(
      'DECISION: notify (1 open event(s) (0 critical, 1 warn): pending_order_buildup)',
    );
  });

  it('says so when the run kept no observation, and stops on a directory with no runs (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-snap-'));
    expect((await run(['snapshot', '--runs-dir', dir])).code).toBe(2);
    const [stored] = (
      await new FsStore(await storedRuns()).listRuns({ from: '2026-06-01', to: '2026-06-02' })
    ).records;
    const old = { ...stored, observation: undefined };
    await new FsStore(dir).writeRun(old);
    const r = await run(['snapshot', '--runs-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('stored without its observation');
    expect(r.out).toContain('without its observation');
    expect(r.out).toContain('DECISION: observe');
  });
});

describe('snapshot --gap-since', () => {
  it('refuses a start further back than run records are kept (exit 2, one line), not minutes of windows', async () => {
    const dir = await storedRuns();
    const r = await run(['snapshot', '--runs-dir', dir, '--gap-since', '-3000d']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'aegis-pt-health snapshot: --gap-since reaches 3000 days back: run records are kept 400 days, so a range spans at most that; see aegis-pt-health snapshot --help\n',
    );
  });
});

describe('snapshot --append WORK_LOG.md', () => {
  it('creates the log with its heading, then only ever appends record blocks', async () => {
    const dir = await storedRuns();
    const log = join(mkdtempSync(join(tmpdir(), 'aegis-log-')), 'WORK_LOG.md');
    const first = await run(['snapshot', '--runs-dir', dir, '--append', log]);
    expect(first.code).toBe(0);
    expect(first.err).toBe(`appended the record block to ${log}\n`);
    const once = readFileSync(log, 'utf8');
    expect(once.startsWith(WORK_LOG_HEADING)).toBe(true);
    const block = once.slice(WORK_LOG_HEADING.length);
    expect(block).toMatch(/^\n## 2026-06-01 23:17:20 JST \/ 2026-06-01 10:17:20 ET: NOTIFY\n/);
    for (const item of [
      '- JST: 2026-06-01T23:17:20+09:00',
      '- ET: 2026-06-01T10:17:20-04:00',
      '- UTC: 2026-06-01T14:17:20Z',
      '- Market: open',
      '### Runtime (ECS)',
      '- Service aegis-pt-core: status=ACTIVE',
      '- Task ',
      '(age 10s)',
      '- Pending: orders=2',
      '- Reconciliation: broker=false position=false entry_blocking=false; last proof ok=true',
      '- Market data: ok',
      '- WARN pending_order_buildup',
      '<details><summary>Detector output</summary>',
      '"decision": "notify"',
    ])
      expect(block).toContain(item);
    expect(block.trimEnd().split('\n').at(-1)).toMatch(/^DECISION: notify /);

    writeFileSync(log, once + 'a note the operator typed, no newline at the end', { flag: 'w' });
    const before = readFileSync(log, 'utf8');
    const obs = join(dir, 'obs.json');
    writeFileSync(obs, JSON.stringify(bundle()));
    expect((await run(['snapshot', '--observation', obs, '--append', log])).code).toBe(0);
    const twice = readFileSync(log, 'utf8');
    expect(twice.startsWith(before)).toBe(true);
    expect(twice.slice(before.length)).toMatch(
      /^\n\n## 2026-06-01 23:05:00 JST \/ 2026-06-01 10:05:00 ET: OBSERVE\n/,
    );
    expect(twice.match(/^# aegis-pt work log$/gm)).toHaveLength(1);
  });

  it('keeps both blocks and one heading when two operators append at once', async () => {
    const dir = await storedRuns();
    const log = join(mkdtempSync(join(tmpdir(), 'aegis-log-')), 'WORK_LOG.md');
    const codes = await Promise.all(
      [1, 2, 3].map(() => run(['snapshot', '--runs-dir', dir, '--append', log])),
    );
    expect(codes.map((c) => c.code)).toEqual([0, 0, 0]);
    const text = readFileSync(log, 'utf8');
    expect(text.match(/^# aegis-pt work log$/gm)).toHaveLength(1);
    expect(text.match(/^## 2026-06-01 23:17:20 JST/gm)).toHaveLength(3);
    expect(text.match(/^DECISION: /gm)).toHaveLength(3);
  });

  it('stops with exit 2 when the work log cannot be written', async () => {
    const dir = await storedRuns();
    const r = await run(['snapshot', '--runs-dir', dir, '--append', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cannot append to the work log: ${dir} is a directory`);
  });
});

describe('snapshot shows silenced events', () => {
  it('marks the silenced event with its silence id and lists the active silence', async () => {
    const deps = localDeps('http://127.0.0.1:9');
    const store = new FsStore(deps.dir);
    const silence = await addSilence(
      store,
      buildSilence(
        {
          codes: ['pending_order_buildup'],
          startsMs: Date.parse('2026-06-01T14:00:00Z'),
          endsMs: Date.parse('2026-06-01T15:00:00Z'),
          reason: 'known slow fills',
          by: 'ops',
          includeEscalations: false,
        },
        Date.parse('2026-06-01T14:00:00Z'),
      ),
      Date.parse('2026-06-01T14:00:00Z'),
    );
    deps.clockAt.iso = '2026-06-01T14:17:20Z';
    const payload = payloadAt(deps.clockAt.iso, { pending_orders: 2 });
    const result = await runCheck(
      { ...deps, silences: store, dashboard: { fetch: async () => ({ payload }) } },
      { trigger: 'schedule:primary' },
    );
    expect(result.notified).toBe(false);
    const r = await run(['snapshot', '--runs-dir', deps.dir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      new RegExp(
        `- WARN pending_order_buildup: .* \\[SILENCED by ${silence.id}: recorded, not told; a notice is owed when it ends\\]`,
      ),
    );
    expect(r.out).toContain(
      `## Silences active (1)\n- ${silence.id} (manual) until 2026-06-01T15:00:00Z by ops`,
    );
  });
});
