// prove-deploy on crafted run records: what a Scheduler run cannot look like proves nothing.
import { proveDeploy, PROOF_SKEW_SEC } from '../../lib/ops/prove-deploy';
import type { RunRecord } from '../../lambda/detector/types';
import { scheduleDefinitions } from '../../lambda/shared/schedules';
import { record } from '../helpers/runs';

/** The deployed schedules: the defaults (primary at :07, :17, ...). */
const DEPLOYED = { schedules: scheduleDefinitions(), schedulesSource: 'the test' };

const START = Date.parse('2026-06-01T14:00:00Z');
const V = 'c0ffee0123456789';
const run = (at: string, scheduledTime: string, executionId = 'exec-1'): RunRecord => {
  const r = record(at, 'schedule:primary');
  return {
    ...r,
    trigger: { ...r.trigger, execution_id: executionId, scheduled_time: scheduledTime, code_version: V },
  };
};
const line = (executionId = 'exec-1') => ({
  timestamp: '2026-06-01T14:07:31.412Z',
  message: '{}',
  fields: { trigger: 'schedule:primary', execution_id: executionId, code_version: V },
});

describe('prove-deploy: no false proof', () => {
  it('is proven by a run scheduled after the start, in the records and the log', () => {
    const p = proveDeploy([run('2026-06-01T14:07:30Z', '2026-06-01T14:07:00Z')], START, {
      ...DEPLOYED,
      codeVersion: V,
      logs: [line()],
    });
    expect(p.verdict).toBe('proven');
  });

  it('a scheduled time within the skew after the start proves nothing', () => {
    const p = proveDeploy(
      [run('2026-06-01T14:00:59Z', new Date(START + (PROOF_SKEW_SEC - 1) * 1000).toISOString())],
      START,
      { ...DEPLOYED, codeVersion: V, logs: [line()] },
    );
    expect(p.verdict).toBe('not_proven');
  });

  it('a run "scheduled" after it ran was not started by the scheduler (a hand invocation with a crafted payload)', () => {
    const p = proveDeploy([run('2026-06-01T14:07:30Z', '2026-06-01T15:00:00Z')], START, {
      ...DEPLOYED,
      codeVersion: V,
      logs: [line()],
    });
    expect(p.verdict).toBe('not_proven');
    expect(p.notes.join('\n')).toMatch(/after the run/);
  });

  it('a scheduled time in another offset is the same instant', () => {
    const p = proveDeploy([run('2026-06-01T14:07:30Z', '2026-06-01T23:07:00+09:00')], START, {
      ...DEPLOYED,
      codeVersion: V,
      logs: [line()],
    });
    expect(p.verdict).toBe('proven');
    const early = proveDeploy([run('2026-06-01T14:07:30Z', '2026-06-01T22:59:30+09:00')], START, {
      ...DEPLOYED,
      codeVersion: V,
      logs: [line()],
    });
    expect(early.verdict).toBe('not_proven');
  });

  // The issue: a config-only deploy "proven" by a run of the old schedule. CloudFormation updates the
  // function (the new version, config included) before the schedule: the old cron still fires once.
  it.each([
    [
      'the issue: the primary cron moved from :07 to :05',
      'cron(5,15,25,35,45,55 13-21 ? * MON-FRI *)',
      '2026-06-01T14:07:00Z',
    ],
    [
      'the primary schedule moved off the hour 14',
      'cron(7,17,27,37,47,57 15-21 ? * MON-FRI *)',
      '2026-06-01T14:07:00Z',
    ],
  ])('a run at a minute the deployed cron does not fire at proves nothing: %s', (_name, cron, scheduled) => {
    const p = proveDeploy([run('2026-06-01T14:07:30Z', scheduled)], START, {
      schedules: scheduleDefinitions(cron),
      codeVersion: V,
      logs: [line()],
    });
    expect(p.verdict).toBe('not_proven');
    expect(p.notes.join('\n')).toMatch(/a minute the deployed schedule:primary cron does not fire at/);
  });

  it('without the deployed crons nothing is proven', () => {
    const p = proveDeploy([run('2026-06-01T14:07:30Z', '2026-06-01T14:07:00Z')], START, {
      codeVersion: V,
      logs: [line()],
    });
    expect(p.verdict).toBe('not_proven');
    expect(p.notes.join('\n')).toMatch(/the deployed crons are unknown/);
  });
});
