import { formatAge, formatDuration } from '../../lib/ops/ages';

describe('ages shown humanly', () => {
  it.each([
    [0, '0s ago'],
    [45, '45s ago'],
    [119, '119s ago'],
    [480, '8 min ago'],
    [7_199, '120 min ago'],
    [19_800, '5.5 h ago'],
    [86_400, '24 h ago'],
    [16_166_415, '187 days ago'],
    [-90, '90s in the future'],
  ])('%d s is "%s"', (seconds, text) => {
    expect(formatAge(seconds)).toBe(text);
  });

  it('keeps seconds up to a bound where a limit is given in seconds', () => {
    expect(formatDuration(301, 3600)).toBe('301s');
    expect(formatDuration(16_166_415, 3600)).toBe('187 days');
  });
});
