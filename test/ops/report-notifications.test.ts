// Who was told: the notification rows come from each run record's notification log, per audience.
import type { RunRecord } from '../../lambda/detector/types';
import { notificationsOf, notificationsTable } from '../../lib/ops/report-notifications';

const T = Date.parse('2026-06-01T16:07:20Z');
const STUCK = { code: 'stuck_exits', signature: 'stuck_exits', severity: 'critical', escalate: true };

function record(extra: Record<string, unknown>): RunRecord {
  return {
    checked_at: '2026-06-01T16:07:20Z',
    decision: 'escalate',
    decision_reason: 'stop and escalate: stuck_exits',
    events: [],
    new_events: [STUCK],
    resolved_events: [],
    info: [],
    trigger: { trigger: 'schedule:primary' },
    ...extra,
  } as unknown as RunRecord;
}

const entry = (audience: string, kind: string, outcome: string, more: Record<string, unknown> = {}) => ({
  audience,
  kind,
  outcome,
  signatures: ['stuck_exits'],
  subject: `${kind} subject`,
  ...more,
});

describe('notificationsOf', () => {
  it('says per audience what the log recorded: told, failed with its error, or not due', () => {
    const [alert] = notificationsOf(
      record({
        notifications: [
          entry('email', 'alert', 'told'),
          entry('chat', 'alert', 'failed', { error: 'Throttling: rate exceeded' }),
        ],
      }),
      T,
    );
    expect(alert.kind).toBe('alert');
    expect(alert.audiences).toEqual({
      email: { outcome: 'told', subject: 'alert subject', signatures: ['stuck_exits'] },
      chat: {
        outcome: 'failed',
        subject: 'alert subject',
        signatures: ['stuck_exits'],
        error: 'Throttling: rate exceeded',
      },
    });
    const html = notificationsTable([alert]).text;
    expect(html).toMatch(/data-audience="page"[^>]*>-</);
    expect(html).toMatch(/data-audience="email"[^>]*>&#10003; told</);
    expect(html).toMatch(/data-audience="chat"[^>]*>&#10007; failed: Throttling: rate exceeded</);
    expect(html).not.toContain('all subscribers');
  });

  it('sets an audience the run could not tell (no topic) apart from one that was not due', () => {
    const told = [entry('email', 'alert', 'told')];
    const [emailOnly] = notificationsOf(record({ notifications: told, routed: ['email'] }), T);
    const html = notificationsTable([emailOnly]).text;
    expect(html).toMatch(/data-audience="page"[^>]*>not routed</);
    expect(html).toMatch(/data-audience="chat"[^>]*>not routed</);
    expect(html).toMatch(/data-audience="email"[^>]*>&#10003; told</);
    const [all] = notificationsOf(record({ notifications: told, routed: ['page', 'email', 'chat'] }), T);
    const routed = notificationsTable([all]).text;
    expect(routed).toMatch(/data-audience="page"[^>]*title="not due">-</);
    expect(routed).not.toContain('not routed');
  });

  it('gives the digest and a silence notice their own rows, even in a run with no news', () => {
    const rows = notificationsOf(
      record({
        new_events: [],
        decision: 'observe',
        notifications: [
          entry('email', 'digest', 'told'),
          entry('chat', 'digest', 'told'),
          entry('page', 'silence', 'told'),
        ],
      }),
      T,
    );
    expect(rows.map((r) => [r.kind, Object.keys(r.audiences ?? {})])).toEqual([
      ['digest', ['email', 'chat']],
      ['silence', ['page']],
    ]);
    expect(notificationsTable(rows).text).toContain('digest: digest subject');
  });

  it('shows an older record without the log as not recorded, never as every subscriber', () => {
    const [alert] = notificationsOf(record({}), T);
    expect(alert.audiences).toBeNull();
    const html = notificationsTable([alert]).text;
    expect(html).toContain('not recorded: this record predates the notification log');
    expect(html).not.toMatch(/all subscribers|&#10003;/);
  });

  it('drops log entries of other shapes instead of failing the report', () => {
    const hostile = [
      null,
      7,
      'x',
      { audience: 'sms', kind: 'alert', outcome: 'told' },
      entry('email', 'alert', 'maybe'),
      entry('page', 'alert', 'told', { signatures: 'x', subject: 5 }),
    ];
    const [alert] = notificationsOf(
      record({ notifications: hostile, info: 'not a list', new_events: 'no' }),
      T,
    );
    expect(alert.audiences).toEqual({ page: { outcome: 'told', subject: '', signatures: [] } });
  });
});
