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
