// A silence announcement to the pager is one SMS segment, as the alerts are: the pager hears a silence
// only when it holds escalations back, and it needs what and until when, not the codes and the reason
// (email and chat carry those).
import { noticesFor, renderNotices, type Notice } from '../../lambda/detector/announcements';
import { DEFAULT_BUDGET } from '../../lambda/detector/messages';
import { utf8Bytes } from '../../lambda/detector/message-text';
import { run } from '../helpers/bundle';

const SEGMENT = DEFAULT_BUDGET.smsSegmentBytes - utf8Bytes(DEFAULT_BUDGET.smsPrefix);
const output = run({ now: '2026-06-01T15:00:00Z' });
const KEY = 'active:s-1@2026-06-01T16:00:00Z';

function started(text: string, brief: string) {
  const notice: Notice = { key: KEY, text, brief, page: true };
  return renderNotices(noticesFor('page', [notice], undefined, output.checked_at), output);
}

describe("the pager's silence announcement", () => {
  it.each([
    ['a short one', 'silence s-1 until 12:00 ET, escalations held'],
    ['a long id', `silence s-1${'x'.repeat(300)} until 12:00 ET, escalations held`],
    ['non-ASCII text', `silence s-1 ${'déploiement ✓ '.repeat(20)}`],
  ])('fits one segment after the prefix, in ASCII: %s', (_name, brief) => {
    const sms = started(
      `silence s-1 by someone holds back ${'stuck_exits, '.repeat(30)}: ${'why '.repeat(80)}`,
      brief,
    ).sms;
    expect(utf8Bytes(sms)).toBeLessThanOrEqual(SEGMENT);
    expect(sms).toMatch(/^SILENCE aegis-pt: 1 started: STARTED: silence s-1/);
    expect(sms).toMatch(/^[\x20-\x7e]*$/);
  });

  it('says what and until when; email carries the whole line', () => {
    const text =
      'silence s-1 by alice holds back stuck_exits (escalations included) until 12:00 ET (2026-06-01T16:00:00Z): fix';
    const m = started(text, 'silence s-1 until 12:00 ET, escalations held');
    expect(m.sms).toBe('SILENCE aegis-pt: 1 started: STARTED: silence s-1 until 12:00 ET, escalations held');
    expect(m.email).toContain(`- STARTED: ${text}`);
  });

  it('an ended one is named with the end it was told, from the log alone', () => {
    const told = {
      [KEY]: { told_at: '2026-06-01T14:00:00Z', text: 'silence s-1 by alice holds back stuck_exits' },
    };
    const plan = noticesFor('page', [], told, output.checked_at);
    expect(renderNotices(plan, output).sms).toBe('SILENCE aegis-pt: 1 ended: ENDED: s-1 (until 12:00 ET)');
  });
});

describe('many notices at once', () => {
  const notice = (i: number): Notice => ({
    key: `active:s-${i}@2026-06-01T16:00:00Z`,
    text: `silence s-${i} by alice holds back stuck_exits until 12:00 ET (2026-06-01T16:00:00Z): fix`,
    brief: `silence s-${i} until 12:00 ET`,
    page: true,
  });
  const at = output.checked_at;

  it('each is told once: those a message has no room for are told by the next run, not dropped', () => {
    const all = Array.from({ length: 25 }, (_, i) => notice(i));
    const first = noticesFor('email', all, undefined, at);
    const second = noticesFor('email', all, first.next, at);
    const third = noticesFor('email', all, second.next, at);
    const told = [...first.lines, ...second.lines, ...third.lines];
    expect(told).toHaveLength(25);
    for (const n of all) expect(told.filter((l) => l === `STARTED: ${n.text}`)).toHaveLength(1);
    expect(renderNotices(first, output).subject).toBe(`SILENCE aegis-pt: ${first.lines.length} started`);
  });

  it('so is each end', () => {
    const all = Array.from({ length: 25 }, (_, i) => notice(i));
    const told = Object.fromEntries(all.map((n) => [n.key, { told_at: at, text: n.text }]));
    const first = noticesFor('email', [], told, at);
    const second = noticesFor('email', [], first.next, at);
    const ended = [...first.lines, ...second.lines];
    expect(ended).toHaveLength(25);
    for (const n of all) expect(ended.filter((l) => l.endsWith(n.text))).toHaveLength(1);
    expect(noticesFor('email', [], second.next, at).lines).toEqual([]);
  });
});

describe('an ended notice from a tampered log', () => {
  it('its stored text is bounded and cleaned like every line', () => {
    const told = {
      [KEY]: { told_at: '2026-06-01T14:00:00Z', text: `bad\u0007\u001b[31m${'x'.repeat(100_000)}` },
    };
    const plan = noticesFor('email', [], told, output.checked_at);
    const m = renderNotices(plan, output);
    expect(plan.lines).toHaveLength(1);
    expect(plan.lines[0].length).toBeLessThanOrEqual(500);
    // eslint-disable-next-line no-control-regex
    expect(m.email).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});
