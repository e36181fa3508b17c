// The runbook's KPIs per session from generated run records, and the `kpi` command over several days.
import { sessionOn } from '../../lambda/detector/market-clock';
import type { SessionInfo } from '../../lambda/detector/types';
import { kpiRows, kpiTrend, sessionKpis } from '../../lambda/digest/kpi';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { captureIo } from '../helpers/cli-io';
import { runsDir } from '../helpers/runs';
import { chainRecords, importPosition, trade } from '../helpers/sessions';

const session = (date: string): SessionInfo => sessionOn(date) as SessionInfo;
const stoppedTask = (id: string, at: string) => ({
  taskArn: `arn:aws:ecs:ap-northeast-1:123456789012:task/aegis-pt/${id}`,
  lastStatus: 'STOPPED',
  desiredStatus: 'STOPPED',
  stoppedAt: at,
  stoppedReason: 'Essential container in task exited',
});

/** Thursday 2026-05-28: a bad day. */
const thursday = chainRecords([
  { now: '2026-05-28T14:00:00Z', status: { recent_trades: [trade('t-1', true), trade('t-2', false)] } },
  {
    now: '2026-05-28T14:10:00Z',
    status: {
      recent_trades: [trade('t-1', true), trade('t-3', true)],
      stuck_exits: 1,
      open_positions: [importPosition('MSFT', 'reconcile-import-0528', 7)],
      max_exit_attempt_count: 7,
    },
    stopped: [stoppedTask('dead1', '2026-05-28T14:05:00Z')],
  },
  {
    now: '2026-05-28T14:20:00Z',
    status: { stuck_exits: 1, open_positions: [importPosition('MSFT', 'reconcile-import-0528', 9)] },
    stopped: [stoppedTask('dead1', '2026-05-28T14:05:00Z')],
  },
  { now: '2026-05-28T14:30:00Z', status: { open_positions: [importPosition('TSLA', 'broker')] } },
  // After the close, a proof was posted; nothing critical.
  { now: '2026-05-28T20:37:00Z' },
]);

/** Monday 2026-06-01: better. Friday 2026-05-29 has no records at all. */
const monday = chainRecords([
  { now: '2026-06-01T14:00:00Z', status: { recent_trades: [trade('t-9', true)] } },
  { now: '2026-06-01T14:10:00Z' },
]);

describe('sessionKpis', () => {
  it('counts distinct trades, positions and tasks, the highest exit attempt, and critical minutes', () => {
    const k = sessionKpis(session('2026-05-28'), [...thursday, ...monday]);
    expect(k).toMatchObject({
      date: '2026-05-28',
      runs: 5,
      kpis: {
        pnl_unknown_trades: 2, // t-1 (twice) and t-3; t-2 is known
        broker_import_positions: 2, // MSFT (reconcile-import-*) and TSLA (broker, any case)
        max_exit_attempt_count: 9,
        task_replacements: 1, // dead1 seen on two runs
        // stuck_exits critical at 14:10 and 14:20, each lasting until the next run 10 minutes later
        critical_minutes: 20,
      },
      trades: ['t-1', 't-3'],
      positions: ['MSFT', 'TSLA'],
      tasks: ['dead1'],
    });
  });

  it('caps how long a critical run counts when the next run is late, and counts the last run once', () => {
    const late = chainRecords([
      { now: '2026-06-01T14:00:00Z', status: { stuck_exits: 1 } },
      { now: '2026-06-01T15:00:00Z', status: { stuck_exits: 1 } },
    ]);
    expect(sessionKpis(session('2026-06-01'), late).kpis?.critical_minutes).toBe(16);
  });

  it('reports a session without records as unknown, not as zero', () => {
    expect(sessionKpis(session('2026-05-29'), thursday)).toMatchObject({ runs: 0, kpis: null });
  });

  it('does not count a deployment replacement as a task replacement', () => {
    const deploy = chainRecords([
      {
        now: '2026-06-01T14:00:00Z',
        stopped: [
          {
            ...stoppedTask('old1', '2026-06-01T13:55:00Z'),
            stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/123)',
          },
        ],
      },
    ]);
    expect(deploy[0].info.map((i) => i.code)).toContain('deployment_replacement');
    expect(sessionKpis(session('2026-06-01'), deploy).kpis?.task_replacements).toBe(0);
  });
});

describe('KPIs counted as the runbook means them (issue #21)', () => {
  const coin = (qty = 3) => importPosition('COIN', 'Broker', 0, qty);
  const imports = (steps: (unknown[] | 'down')[]) =>
    chainRecords(
      steps.map((p, i) => ({
        now: `2026-06-01T14:${String(10 + i * 5).padStart(2, '0')}:00Z`,
        ...(p === 'down' ? { dashboardDown: true } : { status: { open_positions: p } }),
      })),
    );
  it.each([
    ['the issue: COIN imported, closed, imported again', [[coin()], [], [coin()]], 2],
    ['two identical imports at once', [[coin(), coin()]], 2],
    ['one import held over several runs', [[coin()], [coin()], [coin()]], 1],
    ['the same symbol imported again with another quantity', [[coin(3)], [coin(4)]], 2],
    ['an import across a run without a payload (dashboard down)', [[coin()], 'down', [coin()]], 1],
  ] as const)('broker imports by occurrence: %s is %d', (_name, steps, n) => {
    const k = sessionKpis(session('2026-06-01'), imports(steps as unknown as (unknown[] | 'down')[]));
    expect(k.kpis?.broker_import_positions).toBe(n);
    expect(k.positions).toEqual(['COIN']);
  });

  it.each([
    ['pnl_unknown absent and pnl null', { trade_id: 'u1', pnl: null }, ['u1']],
    ['pnl_unknown null and pnl absent', { trade_id: 'u2', pnl_unknown: null }, ['u2']],
    ['pnl_unknown not a boolean and pnl a string', { trade_id: 'u3', pnl_unknown: 'no', pnl: '1.5' }, ['u3']],
    ['pnl_unknown absent and a finite pnl', { trade_id: 'k1', pnl: 2.5 }, []],
    ['pnl_unknown false and a finite pnl', { trade_id: 'k2', pnl_unknown: false, pnl: 0 }, []],
  ])('a trade with %s: unknown PnL is %j', (_name, t, ids) => {
    const records = chainRecords([
      { now: '2026-06-01T14:10:00Z', status: { recent_trades: [{ symbol: 'X', ...t }] } },
    ]);
    const k = sessionKpis(session('2026-06-01'), records);
    expect(k.trades).toEqual(ids);
    expect(k.kpis?.pnl_unknown_trades).toBe(ids.length);
  });
});

describe('kpiTrend', () => {
  it('compares each KPI with the mean of earlier sessions that have records', () => {
    const rows = kpiRows(
      [session('2026-05-28'), session('2026-05-29'), session('2026-06-01')],
      [...thursday, ...monday],
    );
    expect(rows.map((r) => r.date)).toEqual(['2026-05-28', '2026-05-29', '2026-06-01']);
    expect(rows[0].trend?.pnl_unknown_trades).toBe('new');
    expect(rows[1].trend).toBeNull();
    expect(rows[2].trend).toEqual({
      pnl_unknown_trades: 'down',
      broker_import_positions: 'down',
      max_exit_attempt_count: 'down',
      task_replacements: 'down',
      critical_minutes: 'down',
    });
    const same = rows[2].kpis!;
    expect(kpiTrend(same, [rows[2]])).toEqual(Object.fromEntries(Object.keys(same).map((k) => [k, 'flat'])));
    expect(kpiTrend({ ...same, critical_minutes: 1 }, [rows[2]]).critical_minutes).toBe('up');
  });
});

describe('aegis-pt-health kpi', () => {
  async function kpi(args: string[], now = '2026-06-02T12:00:00Z') {
    const dir = await runsDir([...thursday, ...monday]);
    const io = captureIo({ now });
    const code = await main(['kpi', '--runs-dir', dir, ...args], io);
    return { code, out: io.out, err: io.err };
  }

  it('prints the last N sessions as JSON with their trend, up to the last session with records', async () => {
    const r = await kpi(['--sessions', '4', '--json']);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out);
    // The issue: with --runs-dir the default --until is the last session that has records, not today.
    expect(parsed.until).toBe('2026-06-01');
    expect(parsed.sessions.map((s: { date: string; runs: number }) => [s.date, s.runs])).toEqual([
      ['2026-05-27', 0],
      ['2026-05-28', 5],
      ['2026-05-29', 0],
      ['2026-06-01', 2],
    ]);
    expect(parsed.sessions[3].kpis).toEqual({
      pnl_unknown_trades: 1,
      broker_import_positions: 0,
      max_exit_attempt_count: 2,
      task_replacements: 0,
      critical_minutes: 0,
    });
  });

  it('prints a table for a person, with "-" for sessions without records', async () => {
    const r = await kpi(['--sessions', '3', '--until', '2026-06-01']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^session\s+runs\s+pnl_unknown/);
    expect(lines[1]).toMatch(/^2026-05-28\s+5\s+2 new\s+2 new\s+9 new\s+1 new\s+20 new$/);
    expect(lines[2]).toMatch(/^2026-05-29\s+0\s+-\s+-\s+-\s+-\s+-$/);
    expect(lines[3]).toMatch(/^2026-06-01\s+2\s+1 down\s+0 down\s+2 down\s+0 down\s+0 down$/);
  });

  it('rejects bad options with exit 2 naming the option', async () => {
    for (const args of [
      ['--sessions', '0'],
      ['--sessions', 'ten'],
      ['--until', '2026-02-30'],
    ]) {
      const r = await kpi(args);
      expect(r.code).toBe(2);
      expect(r.err).toContain(args[0]);
    }
  });
});

describe('the session report shows the KPI trend', () => {
  it('renders this session beside the earlier ones, each KPI with its trend', async () => {
    const dir = await runsDir([...thursday, ...monday]);
    const out = join(dir, 'report.html');
    const io = captureIo({ now: '2026-06-02T12:00:00Z' });
    expect(await main(['report', '--runs-dir', dir, '--date', '2026-06-01', '--out', out], io)).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('Reliability KPIs');
    const rows = [...html.matchAll(/<tr class="kpi-row[^"]*" data-date="([^"]+)">(.*?)<\/tr>/g)];
    expect(rows.map((r) => r[1]).slice(-3)).toEqual(['2026-05-28', '2026-05-29', '2026-06-01']);
    const current = rows[rows.length - 1][2];
    // Monday against Thursday (Friday has no records): every KPI went down.
    expect(current.match(/&#9660; down/g)).toHaveLength(5);
    expect(rows.find((r) => r[1] === '2026-05-29')?.[2]).toContain('<td>-</td>');
    // The day's own charts still come from the day's records only.
    expect(io.out).toMatch(/wrote .*: 2 runs/);
  });
});
