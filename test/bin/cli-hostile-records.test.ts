// Review of issue #21's kpi and post gate over run records: a record keeps the dashboard's payload raw,
// so a position's tags may be a string or hold a number. Read as typed, `kpi` stopped with an internal
// error and the post gate threw. Both now read a stored payload as the detector reads one: an element of
// another shape is dropped, the rest still counts (the Broker import beside it is still found).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import type { RunRecord } from '../../lambda/detector/types';
import { captureIo } from '../helpers/cli-io';
import { runsDir } from '../helpers/runs';
import { CLEAN_RUNS, post, pre } from '../ops/gate-fixtures';

/** The post fixture's clean runs, the second one's payload holding positions and a trade of odd shapes. */
function hostileRuns(): RunRecord[] {
  const runs = CLEAN_RUNS();
  const status = runs[1].observation!.status_v3 as Record<string, unknown>;
  status.open_positions = [
    { symbol: 'COIN', qty: 1, tags: 'broker', exit_attempt_count: 0 },
    { symbol: 'AMD', qty: 2, tags: ['Broker', 7], exit_attempt_count: 0 },
    'TSLA',
  ];
  status.recent_trades = [
    { trade_id: { id: 1 }, symbol: 'NVDA', closed_at: '2026-06-01T14:18:00Z', pnl: null },
  ];
  return runs;
}

describe('run records with payloads of any shape', () => {
  it('kpi counts what the detector would read, without an internal error', async () => {
    const dir = await runsDir(hostileRuns());
    const io = captureIo({ now: '2026-06-02T00:00:00Z' });
    const code = await main(['kpi', '--runs-dir', dir, '--sessions', '1', '--json'], io);
    expect(io.err).not.toMatch(/internal error/);
    expect(code).toBe(0);
    const [row] = JSON.parse(io.out).sessions;
    expect(row).toMatchObject({
      date: '2026-06-01',
      kpis: expect.objectContaining({ broker_import_positions: 1, pnl_unknown_trades: 1 }),
      positions: ['AMD'],
      trades: ['NVDA@2026-06-01T14:18:00Z'],
    });
  });

  it('post gate: STOP naming the import that appeared during the rollout, without throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-hostile-records-'));
    const write = (name: string, b: unknown) => {
      writeFileSync(join(dir, name), JSON.stringify(b));
      return join(dir, name);
    };
    const io = captureIo({ now: '2026-06-01T14:20:30Z', env: { AEGIS_PT_CLUSTER: 'aegis-pt' } });
    const args = ['gate', '--phase', 'post', '--baseline', write('pre.json', pre())];
    args.push('--observation', write('post.json', post()), '--runs-dir', await runsDir(hostileRuns()));
    const code = await main(args, io);
    expect(io.err).not.toMatch(/internal error/);
    expect(io.out).toMatch(
      /FAIL {2}nothing appeared during the rollout: 2026-06-01T14:19:20Z schedule:fallback: new broker import AMD qty=2 \[broker\]/,
    );
    expect(io.out).toMatch(/VERDICT: STOP/);
    expect(code).toBe(4);
  });
});
