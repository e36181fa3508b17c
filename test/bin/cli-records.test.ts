// Every record reader of the CLI says the same over days the monitor sealed (day summaries, hour packs)
// as over the records alone: kpi, report, replay, gap and snapshot, in the bucket layout or below any
// directory. Sealing is a cache: it may never change an answer.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { FsObjectStore } from '../../lambda/adapters/fs-objects';
import { FsStore } from '../../lambda/adapters/fs-store';
import { ObjectSealer } from '../../lambda/records/seal';
import { captureIo } from '../helpers/cli-io';
import { copyOf, recordDays } from '../helpers/record-days';

let plain: string;
let sealed: string;

beforeAll(async () => {
  plain = mkdtempSync(join(tmpdir(), 'aegis-cli-records-'));
  const store = new FsStore(plain);
  for (const r of recordDays()) await store.writeRun(r);
  sealed = copyOf(plain);
  await new ObjectSealer(new FsObjectStore(sealed)).seal(
    Date.parse('2026-05-30T12:00:00Z'),
    Date.now() + 60_000,
  );
});

async function run(dir: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo({ now: '2026-05-30T12:00:00Z' });
  const code = await main([...args, '--runs-dir', dir], io);
  // Where it was read from is named: the rest is the same.
  return { code, out: io.out.replaceAll(dir, 'DIR'), err: io.err.replaceAll(dir, 'DIR') };
}

describe('the CLI over sealed days says what it says over the records alone', () => {
  it.each([
    ['kpi', ['kpi', '--json']],
    ['kpi --until', ['kpi', '--until', '2026-05-29', '--sessions', '5']],
    ['gap', ['gap', '--created-after', '2026-05-27', '--until', '2026-05-30', '--json']],
    [
      'gap of an afternoon',
      ['gap', '--created-after', '2026-05-28T15:00:00Z', '--until', '2026-05-28T17:00:00Z'],
    ],
    [
      'replay',
      [
        'replay',
        '--from',
        '2026-05-28',
        '--to',
        '2026-05-29',
        '--set',
        'AEGIS_PT_PENDING_ORDER_WARN=3',
        '--json',
      ],
    ],
    ['snapshot', ['snapshot', '--json', '--gap-since', '2026-05-29T13:00:00Z']],
  ])('%s', async (_name, args) => {
    const a = await run(plain, args);
    const b = await run(sealed, args);
    expect(b).toEqual(a);
    expect(a.out.length).toBeGreaterThan(100);
  });

  it('report', async () => {
    const page = async (dir: string) => {
      const out = join(mkdtempSync(join(tmpdir(), 'aegis-cli-report-')), 'r.html');
      const r = await run(dir, ['report', '--date', '2026-05-28', '--out', out]);
      return { ...r, html: readFileSync(out, 'utf8').replaceAll(dir, 'DIR') };
    };
    const a = await page(plain);
    const b = await page(sealed);
    expect(a.code).toBe(0);
    expect(b.html).toEqual(a.html);
    expect(b.err).toEqual(a.err);
  });
});
