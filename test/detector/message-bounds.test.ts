// Class 1 of issue #9: every notification fits SNS by construction, and names every code.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { DEFAULT_BUDGET, renderMessage, SMS_MAX_BYTES, SUBJECT_MAX } from '../../lambda/detector/messages';
import { detect } from '../../lambda/detector/detect';
import type { DetectorEvent, DetectorOutput } from '../../lambda/detector/types';
import { snsPublishInput } from '../../lambda/adapters/sns-notifier';
import { bundle, IN_SESSION } from '../helpers/bundle';
import { sharedPath } from '../helpers/shared';

const SNS_MAX = 262_144;

/** Every code of the spec's catalog (section 5). */
const CATALOG = [
  ...readFileSync(sharedPath('spec/detector-contract.md'), 'utf8').matchAll(/^\| `([a-z_0-9]+)` \|/gm),
].map((m) => m[1]);

function snsBytes(output: DetectorOutput): number {
  const input = snsPublishInput('arn:aws:sns:ap-northeast-1:123456789012:t', renderMessage(output));
  const attrs = Object.entries(input.MessageAttributes).reduce(
    (n, [k, v]) =>
      n + Buffer.byteLength(k) + Buffer.byteLength(v.StringValue) + Buffer.byteLength(v.DataType),
    0,
  );
  return Buffer.byteLength(input.Message) + attrs;
}

function ev(code: string, i: number, text: string, extra: Partial<DetectorEvent> = {}): DetectorEvent {
  return {
    code,
    severity: i % 2 ? 'critical' : 'warn',
    signature: `${code}:${text.slice(0, 380)}${i}`,
    summary: text,
    details: {},
    first_seen_at: '2026-06-01T14:00:00Z',
    consecutive: 1,
    escalate: i % 3 === 0,
    notified_at: '2026-06-01T14:05:00Z',
    ...extra,
  };
}

function outputWith(
  newEvents: DetectorEvent[],
  resolved: DetectorEvent[],
  open: DetectorEvent[] = [],
): DetectorOutput {
  const base = detect(bundle({ now: IN_SESSION }));
  return {
    ...base,
    events: [...newEvents, ...open],
    new_events: newEvents,
    resolved_events: resolved,
    info: Array.from({ length: 500 }, (_, i) => ({ code: `info_${i}`, summary: 'i'.repeat(600) })),
    decision: 'escalate',
    decision_reason: 'r'.repeat(5000),
  };
}

function expectEveryCode(output: DetectorOutput): void {
  const m = renderMessage(output);
  for (const e of [...output.new_events, ...output.resolved_events]) {
    expect(m.sms).toContain(e.code);
    expect(m.email).toContain(e.code);
  }
  expect(m.subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
  expect(Buffer.byteLength(m.sms)).toBeLessThanOrEqual(
    DEFAULT_BUDGET.smsTotalBytes - DEFAULT_BUDGET.smsPrefix.length,
  );
  expect(Buffer.byteLength(m.email)).toBeLessThanOrEqual(DEFAULT_BUDGET.emailBytes);
  expect(snsBytes(output)).toBeLessThan(SNS_MAX);
}

describe('message bounds', () => {
  it('the catalog is read from the spec', () => {
    expect(CATALOG).toEqual(expect.arrayContaining(['ecs_unavailable', 'unknown_fill', 'monitor_gap']));
    expect(CATALOG.length).toBeGreaterThan(25);
  });

  it('every catalog code new and every one resolved, with worst-case text: fits, and names every code', () => {
    const hostile = '"\\\u0001\u2028é漢'.repeat(100);
    const fresh = CATALOG.flatMap((c, i) => Array.from({ length: 40 }, (_, k) => ev(c, i + k, hostile)));
    const resolved = CATALOG.map((c, i) =>
      ev(c, i, hostile, { resolved_at: IN_SESSION, undelivered: i % 2 === 0 }),
    );
    expectEveryCode(outputWith(fresh, resolved, fresh));
    const m = renderMessage(outputWith(fresh, resolved));
    expect(m.email).toMatch(/\.\.\. and \d+ more \(codes listed at the top\)/);
  });

  it('lone surrogates (six JSON bytes each, once counted as two) in every text: fits, and names every code', () => {
    for (const hostile of ['\ud800'.repeat(1000), '\udc00'.repeat(1000), '\ud800a'.repeat(500)]) {
      const fresh = CATALOG.flatMap((c, i) => Array.from({ length: 40 }, (_, k) => ev(c, i + k, hostile)));
      const resolved = CATALOG.map((c, i) =>
        ev(c, i, hostile, { resolved_at: IN_SESSION, undelivered: i % 2 === 0 }),
      );
      expectEveryCode(outputWith(fresh, resolved, fresh));
      expect(renderMessage(outputWith(fresh, resolved)).email).not.toMatch(/[\ud800-\udfff]/);
    }
  });

  it('5,000 stale pending orders with long ids plus stuck_exits in a 0.6 MB payload: fits, names stuck_exits', () => {
    const orders = Array.from({ length: 5000 }, (_, i) => ({
      order_id: `${'ord-'.repeat(25)}${i}`,
      symbol: 'COIN',
      purpose: 'exit',
      submitted_at: '2026-06-01T13:00:00Z',
    }));
    const out = detect(
      bundle({
        now: IN_SESSION,
        status: { pending_order_details: orders, pending_orders: 5000, stuck_exits: 1 },
      }),
    );
    expectEveryCode(out);
    expect(renderMessage(out).subject).toContain('stuck_exits');
  });

  it('the usual alerts still fit one SMS segment after the display-name prefix', () => {
    const out = detect(
      bundle({ now: IN_SESSION, status: { stuck_exits: 1, unknown_fill: true, pending_exits: 1 } }),
    );
    const m = renderMessage(out);
    expect(Buffer.byteLength(DEFAULT_BUDGET.smsPrefix + m.sms)).toBeLessThanOrEqual(SMS_MAX_BYTES);
    expect(m.sms).toBe('CRITICAL aegis-pt 10:05ET ESCALATE new:pending_exits,stuck_exits,unknown_fill');
  });

  it('a resolution that was never told says so, at the severity it had', () => {
    const base = detect(bundle({ now: IN_SESSION }));
    const gone = ev('unknown_fill', 1, 'unknown fill', {
      resolved_at: IN_SESSION,
      undelivered: true,
      notified_at: undefined,
    });
    const m = renderMessage({ ...base, resolved_events: [gone] });
    expect(m.subject).toBe('CRITICAL aegis-pt 1 missed: unknown_fill -> observe');
    expect(m.sms).toBe('CRITICAL aegis-pt 10:05ET OBSERVE missed:unknown_fill');
    expect(m.email).toContain('Appeared and cleared before they could be told: unknown_fill');
    expect(m.email).toContain(
      'appeared 2026-06-01T10:00:00-04:00 ET / 2026-06-01T23:00:00+09:00 JST and cleared before it could be told',
    );
  });

  it('property: any number of events with any text fits SNS and names every code', () => {
    const text = fc.string({ unit: 'binary', maxLength: 3000 });
    const code = fc.constantFrom(...CATALOG);
    const event = fc.tuple(code, fc.nat(), text).map(([c, i, t]) => ev(c, i, t));
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 300 }),
        fc.array(event, { maxLength: 300 }),
        (fresh, resolved) => {
          expectEveryCode(
            outputWith(
              fresh,
              resolved.map((e) => ({ ...e, resolved_at: IN_SESSION })),
            ),
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
