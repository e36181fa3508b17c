// The digest's coverage line is judged on the digest's own clock: a record dated after it (a forged
// one, or a writer whose clock runs fast) covers no window, even one within the range's grace.
import { digestData } from '../../lambda/digest/digest-data';
import { sessionOn } from '../../lambda/detector/market-clock';
import { INTERLEAVE, record } from '../helpers/runs';

const session = sessionOn('2026-06-01')!;
const NOW = Date.parse('2026-06-01T14:00:00Z');

const coverageOf = (records: ReturnType<typeof record>[]) =>
  digestData({
    session,
    records,
    nowMs: NOW,
    definitions: INTERLEAVE,
    postCloseSec: 1800,
    previous: [],
    next: null,
    closedDays: [],
  }).coverage;

describe("the digest's coverage", () => {
  it("a run dated minutes after the digest's clock covers nothing and is listed as not a run that happened", () => {
    // The 13:57 primary window "run" at 14:05: inside its grace, but after 14:00.
    const coverage = coverageOf([record('2026-06-01T14:05:00Z', 'schedule:primary', '2026-06-01T13:57:00Z')]);
    expect(coverage.covered_windows.map((w) => w.at)).not.toContain('2026-06-01T13:57:00Z');
    expect(coverage.hand_invocations).toEqual([
      expect.objectContaining({
        checked_at: '2026-06-01T14:05:00Z',
        why: expect.stringMatching(/after this clock/),
      }),
    ]);
  });

  it('the same run dated on time covers its window', () => {
    const coverage = coverageOf([record('2026-06-01T13:57:20Z', 'schedule:primary', '2026-06-01T13:57:00Z')]);
    expect(coverage.covered_windows.map((w) => w.at)).toContain('2026-06-01T13:57:00Z');
  });
});
