// DeployWindowOpen is emitted exactly while an approved deploy window (a deploy-window silence) is
// active: the stack's running-tasks alarm holds off on it, and only on it.
import { metricPoints } from '../../lambda/adapters/metric-points';
import type { SilenceNote } from '../../lambda/detector/silences';
import { METRIC } from '../../lambda/shared/metric-names';
import { run } from '../helpers/bundle';

const note = (kind: SilenceNote['kind']): SilenceNote => ({
  id: 's-1',
  kind,
  codes: ['ecs_primary_count'],
  until: '2026-06-01T14:35:00Z',
  by: 'arn:aws:sts::123456789012:assumed-role/ops/alice',
  reason: 'deploy',
  events: 0,
});

const windowPoints = (silences: readonly SilenceNote[] | undefined) =>
  metricPoints({ ...run(), ...(silences ? { silences } : {}) }, { trigger: 'schedule:primary' }).filter(
    (p) => p.name === METRIC.deployWindow,
  );

describe('DeployWindowOpen', () => {
  it('is 1, with the service dimension only, while a deploy window is active', () => {
    expect(windowPoints([note('deploy-window')])).toEqual([
      { name: 'DeployWindowOpen', value: 1, unit: 'Count', dimensions: {} },
    ]);
  });

  it('is not emitted without silences, or with a manual silence only', () => {
    expect(windowPoints(undefined)).toEqual([]);
    expect(windowPoints([])).toEqual([]);
    expect(windowPoints([note('manual')])).toEqual([]);
  });
});
