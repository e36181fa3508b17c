// Review of issue #21's "over the rollout": post re-judges the baseline at its own time, so a baseline
// taken hours or days before the deploy was GO about a runtime nobody judged since. A deploy started
// more than the longest deploy window (2 h) after its baseline is STOP.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { captureIo } from '../helpers/cli-io';
import { runsDir } from '../helpers/runs';
import { CLEAN_RUNS, failing, judge, post, pre } from './gate-fixtures';

const NAME = 'observation after the baseline and the deploy';
const HOUR = 3_600_000;

/** Every UTC timestamp in a bundle moved by `ms`: the same healthy runtime, observed earlier. */
function shifted<T>(value: T, ms: number): T {
  const iso = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)"/g;
  const text = JSON.stringify(value).replace(iso, (_m, t: string) =>
    JSON.stringify(new Date(Date.parse(t) + ms).toISOString().replace('.000Z', 'Z')),
  );
  return JSON.parse(text) as T;
}

describe('post: the deploy follows its baseline within the longest deploy window', () => {
  // The post fixture's deploy starts 14:10; the baseline is pre's 14:05 observation moved earlier.
  it.each([
    ['3 h', 3 * HOUR],
    ['a day', 24 * HOUR],
    ['three days (a Friday baseline for a Monday deploy)', 72 * HOUR],
  ])('STOP on a baseline taken %s before the deploy, though it was GO then', (_name, ms) => {
    const baseline = shifted(pre(), -ms);
    expect(judge(baseline, { replay: true }).verdict).toBe('go');
    const r = judge(post(), { baseline });
    expect(failing(r)).toEqual([NAME]);
    expect(r.criteria.find((c) => c.name === NAME)?.seen).toMatch(
      /the deploy started more than 2 h after the baseline, on a pre verdict that had gone stale$/,
    );
    expect(r.verdict).toBe('stop');
  });

  it('GO on a baseline 5 min or 1 h 55 min before the deploy', () => {
    expect(judge(post(), { baseline: pre() }).verdict).toBe('go');
    const r = judge(post(), { baseline: shifted(pre(), -(HOUR + 50 * 60_000)) });
    expect(r.verdict).toBe('go');
  });

  it('the real CLI: exit 4 STOP for a deploy made on a 24 h-old baseline; exit 0 on a fresh one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-gate-stale-'));
    const write = (name: string, b: unknown) => {
      writeFileSync(join(dir, name), JSON.stringify(b));
      return join(dir, name);
    };
    const obs = write('post.json', post());
    const runs = await runsDir(CLEAN_RUNS());
    const gate = async (baseline: string) => {
      const io = captureIo({ now: '2026-06-01T14:20:30Z', env: { AEGIS_PT_CLUSTER: 'aegis-pt' } });
      const args = [
        'gate',
        '--phase',
        'post',
        '--baseline',
        baseline,
        '--observation',
        obs,
        '--runs-dir',
        runs,
      ];
      const code = await main(args, io);
      return { code, out: io.out };
    };
    const stale = await gate(write('old.json', shifted(pre(), -24 * HOUR)));
    expect(stale.out).toMatch(/FAIL {2}observation after the baseline and the deploy: .*gone stale/);
    expect(stale.out).toMatch(/VERDICT: STOP\nSTOP: do not accept the deploy/);
    expect(stale.code).toBe(4);
    expect((await gate(write('fresh.json', pre()))).code).toBe(0);
  });
});
