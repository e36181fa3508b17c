// The CLI benchmark's bar is the product's: at most 2x `node -e 0`, under 80 MB. What it prints, what
// it writes into README and the ok/MISSED verdict all say the one target.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLI_TARGETS, targetsText, verdict } from '../../scripts/bench-cli-targets';

const ROOT = resolve(__dirname, '../..');

describe("bench:cli's targets", () => {
  it('are 2x node -e 0 and 80 MB', () => {
    expect(CLI_TARGETS).toEqual({ ratio: 2, peakMb: 80 });
    expect(targetsText()).toBe('within 2x of `node -e 0`, under 80 MB');
  });

  it('judge a command by them: 2x is ok, above is MISSED, as is 80 MB', () => {
    expect(verdict({ ratio: 2, mb: 60 })).toBe('ok');
    expect(verdict({ ratio: 2.01, mb: 60 })).toBe('MISSED');
    expect(verdict({ ratio: 2.9, mb: 60 })).toBe('MISSED');
    expect(verdict({ ratio: 1.2, mb: 80 })).toBe('MISSED');
  });

  it("are what the script prints and README's benchmark section says", () => {
    const script = readFileSync(join(ROOT, 'scripts/bench-cli.mjs'), 'utf8');
    expect(script).not.toMatch(/3(\.0)?x|<= ?3\b|ratio <= \d/);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const benchmarks = readme.slice(readme.indexOf('## Benchmarks'));
    expect(benchmarks).not.toMatch(/within 3x/);
    expect(benchmarks).toContain(targetsText());
  });
});
