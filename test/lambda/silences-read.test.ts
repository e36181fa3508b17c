// The Lambda's read of the silences document is bounded: over the byte limit it is neither read nor
// parsed (a problem, no silences); the CLI reads it whole to list and repair it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsStore } from '../../lambda/adapters/fs-store';
import { readSilences } from '../../lambda/check/collect';
import { SILENCE_LIMITS } from '../../lambda/detector/silences';
import { encodeSilences, SILENCES_KEY } from '../../lambda/shared/state-layout';

function dirWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-silences-read-'));
  mkdirSync(join(dir, 'state'), { recursive: true });
  writeFileSync(join(dir, SILENCES_KEY), text);
  return dir;
}

const entry = (reason: string) => ({ id: 's-1', codes: ['pnl_unknown_trades'], reason });

describe('reading the silences document', () => {
  it('over the limit: not read, a problem naming the size, no silences', async () => {
    const dir = dirWith(encodeSilences([entry('x'.repeat(SILENCE_LIMITS.fileBytes))]));
    const read = await new FsStore(dir).readSilences({ maxBytes: SILENCE_LIMITS.fileBytes });
    expect(read.silences).toEqual([]);
    expect(read.problem).toMatch(/^state\/silences\.json is \d+ bytes, over the limit of 262144: not read$/);
    const check = await readSilences({ silences: new FsStore(dir) });
    expect(check).toEqual({
      silences: [],
      problem: expect.stringMatching(/over the limit .*: no silences apply$/),
    });
  });

  it('a multi-byte file just over the limit in bytes (not in characters) is over the limit too', async () => {
    const text = encodeSilences([entry('é'.repeat(SILENCE_LIMITS.fileBytes / 2))]);
    expect(text.length).toBeLessThan(SILENCE_LIMITS.fileBytes);
    const read = await new FsStore(dirWith(text)).readSilences({ maxBytes: SILENCE_LIMITS.fileBytes });
    expect(read.problem).toMatch(/over the limit/);
  });

  it('within the limit: read; without a limit (the CLI): read whatever its size, with its size', async () => {
    const small = await new FsStore(dirWith(encodeSilences([entry('r')]))).readSilences({
      maxBytes: SILENCE_LIMITS.fileBytes,
    });
    expect(small.silences).toEqual([entry('r')]);
    const big = encodeSilences([entry('x'.repeat(SILENCE_LIMITS.fileBytes))]);
    const whole = await new FsStore(dirWith(big)).readSilences();
    expect(whole.silences).toHaveLength(1);
    expect(whole.bytes).toBe(Buffer.byteLength(big));
  });
});
