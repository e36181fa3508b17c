import {
  renderEmail,
  renderMessage,
  renderSms,
  renderSubject,
  SMS_MAX_BYTES,
  SUBJECT_MAX,
} from '../../lambda/detector/messages';
import { run } from '../helpers/bundle';

describe('notification messages', () => {
  const escalation = run({ status: { stuck_exits: 1, unknown_fill: true, pending_orders: 2 } });

  it('subject starts with the highest new severity and stays under 100 characters', () => {
    expect(renderSubject(escalation)).toBe(
      'CRITICAL aegis-pt 3 new: pending_order_buildup,stuck_exits,unknown_fill -> escalate',
    );
    expect(renderSubject(run({ status: { pending_orders: 2 } }))).toBe(
      'WARN aegis-pt 1 new: pending_order_buildup -> notify',
    );
  });

  it('says RESOLVED when only resolutions are new', () => {
    const first = run({ status: { pending_orders: 2 } });
    const resolved = run({ now: '2026-06-01T14:09:00Z', previous: first });
    expect(renderSubject(resolved)).toBe('RESOLVED aegis-pt 1 resolved: pending_order_buildup -> observe');
    expect(renderSms(resolved)).toBe('RESOLVED aegis-pt 10:09ET OBSERVE ok:pending_order_buildup');
  });

  it('keeps the subject within 99 characters and names every code in the SMS, however much is new', () => {
    const everything = run({
      status: {
        stuck_exits: 2,
        unknown_fill: true,
        send_outcome_unknown: true,
        broker_confirmation_required: true,
        pending_exits: 3,
        pending_orders: 9,
        broker_reconcile_pending: true,
        synology_ibkr_containers_running: 1,
        log_signals: { existing_session_detected: 3, ibkr_1100: 2, fatal: 1 },
        max_exit_attempt_count: 25,
      },
      service: { runningCount: 0 },
    });
    const m = renderMessage(everything);
    // Too many codes for one segment: several, still every code (SNS splits and bills per segment).
    expect(Buffer.byteLength(m.sms)).toBeGreaterThan(SMS_MAX_BYTES);
    for (const e of everything.new_events) expect(m.sms).toContain(e.code);
    expect(m.subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(m.subject).toMatch(/^CRITICAL \d+ new: /);
    expect(m.sms).toMatch(/^CRITICAL 10:05ET ESCALATE new:/);
    expect(/[^\x20-\x7e]/.test(m.subject + m.sms)).toBe(false);
  });

  it('email says what, since when (ET and JST), the signals and the decision with its reason', () => {
    const email = renderEmail(escalation);
    expect(email).toContain('Decision: escalate (stop and escalate: stuck_exits, unknown_fill)');
    expect(email).toContain('Checked at: 2026-06-01T10:05:00-04:00 ET / 2026-06-01T23:05:00+09:00 JST');
    expect(email).toContain('- [CRITICAL, ESCALATE] stuck_exits: stuck_exits=1');
    expect(email).toContain('since 2026-06-01T10:05:00-04:00 ET / 2026-06-01T23:05:00+09:00 JST');
    expect(email).toContain('  pending_orders = 2');
    expect(renderMessage(escalation)).toMatchObject({ severity: 'CRITICAL', decision: 'escalate' });
  });

  it('lists still-open events apart from the new ones', () => {
    const first = run({ status: { stuck_exits: 1 } });
    const second = run({
      now: '2026-06-01T14:09:00Z',
      status: { stuck_exits: 1, pending_orders: 2 },
      previous: first,
    });
    const email = renderEmail(second);
    expect(email).toMatch(/New \(1\):\n- \[WARN\] pending_order_buildup/);
    expect(email).toMatch(/Still open \(1, already notified\):\n- \[CRITICAL, ESCALATE\] stuck_exits/);
  });
});
