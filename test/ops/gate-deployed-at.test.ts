// Review of issue #21's "over the rollout": --deployed-at is the operator's word for when the deploy
// started; the PRIMARY deployment's createdAt is ECS's. Where ECS says the running deployment was created
// more than the longest deploy window after the baseline (or before it), that baseline's GO says nothing
// about the runtime this deployment replaced, whatever time the operator typed (a time copied from the
// morning's deploy ticket with the morning's baseline, for an afternoon deploy).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { captureIo } from '../helpers/cli-io';
import { runsDir } from '../helpers/runs';
import { CLEAN_RUNS, failing, judge, newTask, post, pre } from './gate-fixtures';

const NAME = 'observation after the baseline and the deploy';
const HOUR = 3_600_000;

function shifted<T>(value: T, ms: number): T {
  const iso = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)"/g;
  const text = JSON.stringify(value).replace(iso, (_m, t: string) =>
    JSON.stringify(new Date(Date.parse(t) + ms).toISOString().replace('.000Z', 'Z')),
  );
  return JSON.parse(text) as T;
}

describe('post: --deployed-at cannot move the deploy away from the deployment ECS reports', () => {
  // The post fixture's PRIMARY deployment was created 14:10; the morning baseline was taken 11:05.
  const morning = shifted(pre(), -3 * HOUR);

  it.each([
    ['the morning deploy time, next to the morning baseline', '2026-06-01T11:10:00Z'],
    ['a time just inside 2 h of the baseline', '2026-06-01T13:04:00Z'],
  ])('STOP on a 3 h-old baseline with --deployed-at %s', (_name, deployedAt) => {
    expect(judge(morning, { replay: true }).verdict).toBe('go');
    const r = judge(post(), { baseline: morning, deployedAt });
    expect(failing(r)).toEqual([NAME]);
    expect(r.criteria.find((c) => c.name === NAME)?.seen).toMatch(
      /the PRIMARY deployment ecs-svc\/2222222222 was created 2026-06-01T14:10:00Z, more than 2 h after the baseline/,
    );
    expect(r.verdict).toBe('stop');
  });

  it('STOP when ECS says the PRIMARY deployment was created before the baseline, whatever --deployed-at says', () => {
    // The baseline 14:12 (after the deployment's creation at 14:10), the operator's start 14:13, a task at 14:14.
    const late = shifted(pre(), 7 * 60_000);
    const observation = post({ tasks: [newTask({ startedAt: '2026-06-01T14:14:00Z' })] });
    const r = judge(observation, { baseline: late, deployedAt: '2026-06-01T14:13:00Z' });
    expect(r.criteria.find((c) => c.name === NAME)).toMatchObject({
      outcome: 'fail',
      seen: expect.stringMatching(/created 2026-06-01T14:10:00Z, before the baseline/),
    });
    expect(r.verdict).toBe('stop');
  });

  it('GO with a --deployed-at earlier than the deployment (a pipeline that took 9 min to reach ECS)', () => {
    const r = judge(post(), { baseline: pre(), deployedAt: '2026-06-01T14:06:00Z' });
    expect(r.verdict).toBe('go');
  });

  it('the real CLI: exit 4 STOP for the morning baseline with the morning --deployed-at', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-gate-deployed-at-'));
    const write = (name: string, b: unknown) => {
      writeFileSync(join(dir, name), JSON.stringify(b));
      return join(dir, name);
    };
    const io = captureIo({ now: '2026-06-01T14:20:30Z', env: { AEGIS_PT_CLUSTER: 'aegis-pt' } });
    const code = await main(
      [
        'gate',
        '--phase',
        'post',
        '--baseline',
        write('morning.json', morning),
        '--observation',
        write('post.json', post()),
        '--runs-dir',
        await runsDir(CLEAN_RUNS()),
        '--deployed-at',
        '2026-06-01T11:10:00Z',
      ],
      io,
    );
    expect(io.out).toMatch(
      /FAIL {2}observation after the baseline and the deploy: .*created 2026-06-01T14:10:00Z/,
    );
    expect(io.out).toMatch(/VERDICT: STOP/);
    expect(code).toBe(4);
  });
});
