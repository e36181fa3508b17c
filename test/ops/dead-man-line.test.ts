// doctor's dead-man line, from the Lambda's own log lines.
import { deadManLine, parseDeadManPing } from '../../lib/ops/dead-man-line';

const NOW = Date.parse('2026-06-01T14:10:00Z');
const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ level: 'INFO', timestamp: '2026-06-01T14:07:03Z', service: 'aegis-pt-health', ...fields });

describe("doctor's dead-man line", () => {
  it('passes on a ping the service answered, showing when and how', () => {
    const ping = parseDeadManPing(
      '2026-06-01T14:07:03.000Z',
      line({ message: 'dead-man ping', outcome: 'success', status: 200, ms: 85 }),
    );
    expect(deadManLine(ping, NOW)).toEqual({
      verdict: 'PASS',
      check: "dead-man's switch outside AWS (last ping, 24 h)",
      seen: expect.stringMatching(/^2026-06-01T14:07:03.000Z \(.+\): dead-man ping \(success, HTTP 200\)$/),
    });
  });

  it.each([
    [
      line({ level: 'WARN', message: 'dead-man ping refused', outcome: 'success', status: 404 }),
      /refused \(success, HTTP 404\)/,
    ],
    [
      line({
        level: 'WARN',
        message: 'dead-man ping failed',
        outcome: 'start',
        reason: 'no answer in 2000 ms',
      }),
      /failed \(start, no answer in 2000 ms\)/,
    ],
  ])('warns on a ping that failed: %s', (text, seen) => {
    const l = deadManLine(parseDeadManPing('2026-06-01T14:07:03.000Z', text), NOW);
    expect(l.verdict).toBe('WARN');
    expect(l.seen).toMatch(seen);
  });

  it('says when no switch is configured (optional), warns when no ping was logged in 24 h, fails when the log cannot be read', () => {
    expect(deadManLine('not configured', NOW)).toMatchObject({
      verdict: 'PASS',
      seen: expect.stringMatching(/^not configured \(optional/),
    });
    expect(deadManLine(null, NOW)).toMatchObject({
      verdict: 'WARN',
      seen: expect.stringMatching(/^no ping logged in 24 h/),
    });
    expect(deadManLine({ error: 'AccessDeniedException: not authorized' }, NOW)).toMatchObject({
      verdict: 'FAIL',
    });
  });
});
