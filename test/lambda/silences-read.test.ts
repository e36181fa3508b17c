// The Lambda's read of the silences document is bounded: over the byte limit it is neither read nor
// parsed (a problem, no silences); the CLI reads it whole to list and repair it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsStore } from '../../lambda/adapters/fs-store';
import { readSilences } from '../../lambda/check/collect';
import { judgeSilences, SILENCE_LIMITS } from '../../lambda/detector/silences';
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

describe('an entry with a duplicate key', () => {
  it('is set aside as ambiguous (the monitor refuses it and says why); the other entries still apply', async () => {
    const ok = {
      id: 's-ok',
      codes: ['pending_order_buildup'],
      starts_at: '2026-06-01T13:30:00Z',
      ends_at: '2026-06-01T15:00:00Z',
      reason: 'maintenance',
      created_by: 'alice',
      created_at: '2026-06-01T13:30:00Z',
      include_escalations: false,
      kind: 'manual',
    };
    const dup = { ...ok, id: 's-dup', codes: ['stuck_exits'] };
    const text = encodeSilences([ok, dup]).replace(
      /("id": "s-dup"[^}]*"include_escalations": false)/,
      '$1, "include_escalations": true',
    );
    const check = await readSilences({ silences: new FsStore(dirWith(text)) });
    expect(check.problem).toBeUndefined();
    const verdicts = judgeSilences(check.silences, {
      nowMs: Date.parse('2026-06-01T14:00:00Z'),
      marketClosures: [],
    }).verdicts;
    expect(verdicts.map((v) => v.state)).toEqual(['applies', 'refused']);
    expect(verdicts[1].why).toBe(
      'not a silence (duplicate key "include_escalations" in silences[1]: the entry is ambiguous)',
    );
  });
});
