// The report's silence bands and silenced episodes, from hand-made run records (hostile stored input too).
import type { RunRecord } from '../../lambda/detector/types';
import { reportData } from '../../lib/ops/report-data';

const WINDOW = {
  id: 'w-1',
  codes: ['dashboard_unreachable'],
  starts_at: '2026-06-01T18:28:00Z',
  ends_at: '2026-06-01T18:58:00Z',
  reason: 'deploy',
  created_by: 'ops',
  created_at: '2026-06-01T18:28:00Z',
  include_escalations: true,
  kind: 'deploy-window' as const,
};

function run(at: string, silenced: boolean): RunRecord {
  const event = {
    code: 'dashboard_unreachable',
    signature: 'dashboard_unreachable',
    severity: 'critical',
    escalate: false,
    summary: 'down',
    first_seen_at: '2026-06-01T18:32:20Z',
    silenced_by: 'w-1',
  };
  return {
    checked_at: at,
    decision: silenced ? 'notify' : 'observe',
    decision_reason: '',
    events: silenced ? [event] : [],
    new_events: [],
    resolved_events: [],
    info: [],
    signals: {},
    trigger: { trigger: 'schedule:primary' },
    silences: [
      {
        id: 'w-1',
        kind: 'deploy-window',
        codes: ['dashboard_unreachable'],
        until: WINDOW.ends_at,
        by: 'ops',
        reason: 'deploy',
        events: silenced ? 1 : 0,
      },
    ],
    observation: { now: at, silences: [WINDOW] },
  } as unknown as RunRecord;
}

const records = [run('2026-06-01T18:32:20Z', true), run('2026-06-01T18:37:20Z', false)];

describe('report data for silences', () => {
  it('ends an episode that cleared while silenced at the first run without it (it was never told)', () => {
    const [episode] = reportData(records).episodes;
    expect(episode.silencedBy).toBe('w-1');
    expect(episode.resolvedAt).toBe(Date.parse('2026-06-01T18:37:20Z'));
  });

  it("shades from the window's start to its end, or to when it was expired by hand", () => {
    expect(reportData(records).silences).toMatchObject([
      { id: 'w-1', start: Date.parse(WINDOW.starts_at), end: Date.parse(WINDOW.ends_at), held: 1 },
    ]);
    const expired = { ...WINDOW, expired_at: '2026-06-01T18:53:00Z' };
    expect(reportData(records, [expired]).silences[0].end).toBe(Date.parse('2026-06-01T18:53:00Z'));
  });

  it('ignores malformed stored silences and falls back to the runs', () => {
    const hostile = [null, 7, { id: 'w-1', starts_at: 'soon' }, { id: 'w-1' }] as never[];
    expect(reportData(records, hostile).silences[0].end).toBe(Date.parse(WINDOW.ends_at));
  });
});
