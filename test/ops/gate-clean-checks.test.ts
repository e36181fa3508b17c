// Review of issue #21's "two clean Scheduler-started checks after a market-hours deploy": two checks are
// two scan cycles of this runtime that have happened. One cycle stored twice, both schedules at one
// minute, checks dated after the observation, and checks of another service are not two clean checks.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import type { RunRecord } from '../../lambda/detector/types';
import { captureIo } from '../helpers/cli-io';
import { runsDir } from '../helpers/runs';
import { CLEAN_RUNS, judge, post, pre, scheduledRun, warning } from './gate-fixtures';

const NAME = '2 clean scheduled checks after the deploy';
const STAGING = {
  serviceArn: 'arn:aws:ecs:ap-northeast-1:999999999999:service/aegis-staging/aegis-pt-core',
  clusterArn: 'arn:aws:ecs:ap-northeast-1:999999999999:cluster/aegis-staging',
};

/** A clean scheduled check at 14:MM:20 on the new task (post's fixture at another minute). */
const checkAt = (minute: string, trigger: 'schedule:primary' | 'schedule:fallback' = 'schedule:primary') =>
  scheduledRun(
    post({
      now: `2026-06-01T14:${minute}:20Z`,
      status: { generated_at: `2026-06-01T14:${minute}:20Z`, heartbeat_at: `2026-06-01T14:${minute}:10Z` },
    }),
    trigger,
  );
/** The same check as seen by a monitor of another runtime (its own service and cluster). */
const ofStaging = (r: RunRecord): RunRecord => {
  const copy = structuredClone(r) as RunRecord & { observation: { ecs: { service: object } } };
  Object.assign(copy.observation.ecs.service, STAGING);
  return copy;
};
const withoutObservation = (r: RunRecord): RunRecord => {
  const copy: Record<string, unknown> = { ...r };
  delete copy.observation;
  return copy as unknown as RunRecord;
};

describe('two clean scheduled checks are two scan cycles of this runtime, already run', () => {
  const [first, second] = CLEAN_RUNS();
  it.each<[string, () => RunRecord[], RegExp]>([
    [
      'one check stored twice (a retry of one invocation)',
      () => [second, { ...second, run_id: 'retry' }],
      /2 scheduled check\(s\) since .*, at 1 distinct scheduled minute\(s\)/,
    ],
    [
      'both schedules at one minute',
      () => [checkAt('19', 'schedule:primary'), checkAt('19', 'schedule:fallback')],
      /2 scheduled check\(s\) since .*, at 1 distinct scheduled minute\(s\)/,
    ],
    [
      'checks scheduled and run after the observation (14:20)',
      () => [checkAt('40'), checkAt('45')],
      /2 not counted: scheduled or run after the observation 2026-06-01T14:20:00Z/,
    ],
    [
      'checks of another service and cluster',
      () => [ofStaging(first), ofStaging(second)],
      /2 not counted: not an observation of arn:aws:ecs:ap-northeast-1:123456789012:service\/aegis-pt\/aegis-pt-core/,
    ],
    [
      'checks without their observation (nothing shows what they checked)',
      () => [withoutObservation(first), withoutObservation(second)],
      /2 not counted: not an observation of/,
    ],
  ])('WAIT, not GO, on %s', (_name, runs, seen) => {
    const r = judge(post(), { baseline: pre(), runs: runs() });
    expect(warning(r)).toEqual([NAME]);
    expect(r.criteria.find((c) => c.name === NAME)?.seen).toMatch(seen);
    expect(r.verdict).toBe('wait');
  });

  it('a minute is clean only when every check of it is: a clean primary beside an alerting fallback is not', () => {
    const alerting = scheduledRun(
      post({
        now: '2026-06-01T14:19:30Z',
        status: {
          generated_at: '2026-06-01T14:19:30Z',
          heartbeat_at: '2026-06-01T14:19:25Z',
          stuck_exits: 1,
        },
      }),
      'schedule:fallback',
    );
    const r = judge(post(), { baseline: pre(), runs: [first, checkAt('19'), alerting] });
    expect(warning(r)).toContain(NAME);
  });

  it('GO on two clean checks at two minutes, whichever schedule started each, beside the ones that do not count', () => {
    expect(judge(post(), { baseline: pre(), runs: CLEAN_RUNS() }).verdict).toBe('go');
    const r = judge(post(), {
      baseline: pre(),
      runs: [first, second, checkAt('40'), ofStaging(checkAt('18'))],
    });
    expect(r.verdict).toBe('go');
    expect(r.criteria.find((c) => c.name === NAME)?.seen).toMatch(
      /2 scheduled check\(s\) .*, at 2 distinct scheduled minute\(s\).*; 1 not counted: .*; 1 not counted/,
    );
  });

  it("the real CLI: exit 4 WAIT on a --runs-dir of another runtime's clean checks, exit 0 on this one's", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-gate-clean-'));
    const write = (name: string, b: unknown) => {
      writeFileSync(join(dir, name), JSON.stringify(b));
      return join(dir, name);
    };
    const args = [
      'gate',
      '--phase',
      'post',
      '--baseline',
      write('base.json', pre()),
      '--observation',
      write('post.json', post()),
    ];
    const gate = async (runs: RunRecord[]) => {
      const io = captureIo({ now: '2026-06-01T14:20:30Z', env: { AEGIS_PT_CLUSTER: 'aegis-pt' } });
      const code = await main([...args, '--runs-dir', await runsDir(runs)], io);
      return { code, out: io.out };
    };
    const foreign = await gate([ofStaging(first), ofStaging(second)]);
    expect(foreign.out).toMatch(
      /WARN {2}2 clean scheduled checks after the deploy: 0 scheduled check\(s\) since .*; 2 not counted: not an observation of/,
    );
    expect(foreign.code).toBe(4);
    const twice = await gate([second, { ...second, run_id: 'retry' }]);
    expect(twice.out).toContain('VERDICT: WAIT');
    expect(twice.code).toBe(4);
    expect((await gate(CLEAN_RUNS())).code).toBe(0);
  });
});
