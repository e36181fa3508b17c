// The handler pings the dead-man's switch around every scheduled run only: start, then success or fail;
// a failed run still fails (and is retried), the ping never changes its result.
import type { DeadManSwitch, PingOutcome } from '../../lambda/adapters/dead-man';
import { createHandler } from '../../lambda/handler';
import { startDashboard, type LocalDashboard } from '../../lib/demo/fakes/dashboard-server';
import { localDeps, payloadAt } from '../helpers/check-deps';

let dash: LocalDashboard;
beforeAll(async () => {
  dash = await startDashboard();
});
afterAll(() => dash.close());

function recordingSwitch() {
  const pings: { run: string; outcome: PingOutcome }[] = [];
  const deadMan: DeadManSwitch = {
    forRun: (run) => async (outcome) => {
      pings.push({ run, outcome });
    },
  };
  return { pings, deadMan };
}

function setup(changes: Record<string, unknown> = {}) {
  const deps = localDeps(dash.url);
  dash.serve({ kind: 'json', body: payloadAt(deps.clockAt.iso, changes) });
  const { pings, deadMan } = recordingSwitch();
  return { deps, pings, handler: createHandler(deps, {}, deadMan) };
}

describe('the dead-man pings around a run', () => {
  it.each(['schedule:primary', 'schedule:fallback'])(
    '%s: start, then success, one run id',
    async (trigger) => {
      const { pings, handler } = setup();
      await handler({ trigger });
      expect(pings.map((p) => p.outcome)).toEqual(['start', 'success']);
      expect(new Set(pings.map((p) => p.run)).size).toBe(1);
    },
  );

  it.each(['manual', 'ecs-event'])(
    '%s runs do not ping (they would hide dead schedules)',
    async (trigger) => {
      const { pings, handler } = setup();
      await handler(
        trigger === 'ecs-event' ? { source: 'aws.ecs', 'detail-type': 'ECS Task State Change' } : { trigger },
      );
      expect(pings).toEqual([]);
    },
  );

  it('a run that fails pings fail and still fails', async () => {
    const { deps, pings, handler } = setup({ stuck_exits: 1 });
    deps.notifier.failures = 1;
    await expect(handler({ trigger: 'schedule:primary' })).rejects.toThrow('SNS is unavailable');
    expect(pings.map((p) => p.outcome)).toEqual(['start', 'fail']);
  });

  it('without a switch configured, nothing changes', async () => {
    const deps = localDeps(dash.url);
    dash.serve({ kind: 'json', body: payloadAt(deps.clockAt.iso) });
    expect(await createHandler(deps)({ trigger: 'schedule:primary' })).toMatchObject({ decision: 'observe' });
  });
});
