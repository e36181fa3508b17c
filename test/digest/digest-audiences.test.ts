// The digest's per-audience counts: an audience the runs could not tell (no topic) is said to be not
// routed, never counted as 0 beside the audiences that were.
import { digestData } from '../../lambda/digest/digest-data';
import { renderDigestEmail } from '../../lambda/digest/render-digest';
import { sessionOn } from '../../lambda/detector/market-clock';
import type { RunRecord } from '../../lambda/detector/types';
import { scheduleDefinitions } from '../../lambda/shared/schedules';

const session = sessionOn('2026-06-01')!;
const told = (audience: string) => ({
  audience,
  kind: 'alert',
  outcome: 'told',
  signatures: ['pending_order_buildup'],
  subject: 'WARN aegis-pt 1 new: pending_order_buildup -> notify',
});
const run = (extra: Record<string, unknown>) =>
  ({
    checked_at: '2026-06-01T15:07:00Z',
    decision: 'notify',
    decision_reason: 'pending_order_buildup',
    events: [],
    new_events: [{ code: 'pending_order_buildup', signature: 'pending_order_buildup', severity: 'warn' }],
    resolved_events: [],
    info: [],
    signals: {},
    trigger: { trigger: 'schedule:primary' },
    ...extra,
  }) as unknown as RunRecord;

const digest = (records: RunRecord[]) =>
  renderDigestEmail(
    digestData({
      session,
      records,
      nowMs: Date.parse('2026-06-01T20:30:00Z'),
      definitions: scheduleDefinitions(),
      postCloseSec: 1800,
      previous: [],
      next: null,
      closedDays: [],
    }),
    'aegis-pt-health report --date 2026-06-01',
  );

describe("the digest's audiences", () => {
  it('an audience no run routed is "not routed", not 0', () => {
    const text = digest([run({ routed: ['email'], notifications: [told('email')] })]);
    expect(text).toContain('per audience: email 1, chat not routed, page not routed');
  });

  it('a routed audience with nothing due is 0', () => {
    const text = digest([
      run({ routed: ['page', 'email', 'chat'], notifications: [told('email'), told('chat')] }),
    ]);
    expect(text).toContain('per audience: email 1, chat 1, page 0');
  });
});
