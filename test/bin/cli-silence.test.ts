// `silence add|list|expire` offline on --runs-dir: the file the Lambda reads, clear errors, the
// maximum, the escalation warning, and conditional writes between two operators.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { SILENCE_LIMITS } from '../../lambda/detector/silences';
import { FsStore } from '../../lambda/adapters/fs-store';
import { WriteConflictError } from '../../lambda/ports';
import { encodeSilences, SILENCES_KEY } from '../../lambda/shared/state-layout';
import { addSilence, buildSilence } from '../../lib/ops/silences';
import { captureIo } from '../helpers/cli-io';

const NOW = '2026-06-01T14:00:00Z';

async function cli(dir: string, ...args: string[]) {
  const io = captureIo({ now: NOW, env: { USER: 'alice' } });
  const code = await main(['silence', ...args, '--runs-dir', dir], io);
  return { code, out: io.out, err: io.err };
}

const fresh = () => mkdtempSync(join(tmpdir(), 'aegis-silence-'));

describe('silence add / list / expire', () => {
  it('adds a silence to the file the Lambda reads, lists it, and expires it', async () => {
    const dir = fresh();
    const add = await cli(
      dir,
      'add',
      '--code',
      'pending_order_buildup',
      '--for',
      '30m',
      '--reason',
      'broker maintenance',
      '--json',
    );
    expect(add.code).toBe(0);
    const silence = JSON.parse(add.out);
    expect(silence).toMatchObject({
      codes: ['pending_order_buildup'],
      starts_at: NOW,
      ends_at: '2026-06-01T14:30:00Z',
      created_by: 'local:alice',
      include_escalations: false,
      kind: 'manual',
    });
    const file = JSON.parse(readFileSync(join(dir, SILENCES_KEY), 'utf8'));
    expect(file.silences).toEqual([silence]);

    const list = await cli(dir, 'list');
    expect(list.out).toMatch(
      new RegExp(`^ACTIVE  ${silence.id}  pending_order_buildup .* by local:alice: broker maintenance`),
    );

    const expire = await cli(dir, 'expire', silence.id, '--by', 'bob');
    expect(expire.code).toBe(0);
    expect(expire.out).toContain('expired 2026-06-01T14:00:00Z by local:bob');
    expect((await cli(dir, 'list')).out).toBe('no silences\n');
    expect((await cli(dir, 'list', '--all')).out).toMatch(/^ENDED/);
    const again = await cli(dir, 'expire', silence.id);
    expect(again.code).toBe(2);
    expect(again.err).toContain('has already ended');
  });

  it.each([
    [['--code', 'no_such_code', '--for', '30m', '--reason', 'r'], 'unknown event code(s) no_such_code'],
    [['--code', 'stuck_exits', '--for', 'soon', '--reason', 'r'], '--for must be a duration'],
    [['--code', 'stuck_exits', '--for', '25h', '--reason', 'r'], 'at most 24 h'],
    [['--code', 'stuck_exits', '--until', 'tomorrow', '--reason', 'r'], '--until must be an ISO-8601'],
    [['--code', 'stuck_exits', '--until', '2026-06-01T13:00:00Z', '--reason', 'r'], 'end in the past'],
    [['--code', 'stuck_exits', '--for', '30m'], '--reason is required'],
    [['--code', 'stuck_exits', '--reason', 'r'], 'exactly one of --for'],
    [
      ['--code', 'stuck_exits', '--signature', 'unknown_fill', '--for', '1h', '--reason', 'r'],
      'does not belong',
    ],
  ])('rejects %j with exit 2 and a clear message', async (args, message) => {
    const dir = fresh();
    const res = await cli(dir, 'add', ...args);
    expect(res.code).toBe(2);
    expect(res.err).toContain(message);
    expect(res.err).not.toMatch(/\n\s+at /); // no stack trace for a usage error
  });

  it('warns when a silence includes escalations', async () => {
    const res = await cli(
      fresh(),
      'add',
      '--code',
      'stuck_exits',
      '--for',
      '10m',
      '--reason',
      'drill',
      '--include-escalations',
    );
    expect(res.code).toBe(0);
    expect(res.err).toMatch(/^warning: --include-escalations: stuck_exits will not be told/);
  });

  it('an unknown action or silence id is a usage error', async () => {
    const dir = fresh();
    expect((await cli(dir, 'mute')).code).toBe(2);
    const res = await cli(dir, 'expire', 's-nope');
    expect(res.code).toBe(2);
    expect(res.err).toContain('no silence s-nope');
  });
});

describe('conditional writes', () => {
  it('two operators adding at once both keep their silence (the loser re-reads and retries)', async () => {
    const dir = fresh();
    const store = new FsStore(dir);
    const now = Date.parse(NOW);
    const make = (reason: string) =>
      buildSilence(
        {
          codes: ['pnl_unknown_trades'],
          startsMs: now,
          endsMs: now + 60_000,
          reason,
          by: 'x',
          includeEscalations: false,
        },
        now,
      );
    // The first write lands between the second writer's read and write.
    let interleaved = false;
    const racing = {
      readSilences: () => store.readSilences(),
      writeSilences: async (list: readonly unknown[], etag: string | null) => {
        if (!interleaved) {
          interleaved = true;
          await addSilence(store, make('first'), now);
        }
        return store.writeSilences(list, etag);
      },
    };
    await addSilence(racing, make('second'), now);
    const reasons = (await store.readSilences()).silences.map((s) => (s as { reason: string }).reason);
    expect(reasons.sort()).toEqual(['first', 'second']);
  });

  it('a stale version is refused by the store itself', async () => {
    const store = new FsStore(fresh());
    await store.writeSilences([], null);
    await expect(store.writeSilences([], null)).rejects.toThrow(WriteConflictError);
  });
});

function writeFile(dir: string, silences: unknown[]): void {
  mkdirSync(join(dir, 'state'), { recursive: true });
  writeFileSync(join(dir, SILENCES_KEY), encodeSilences(silences));
}

const valid = (over: Record<string, unknown> = {}) => ({
  id: 's-ok',
  codes: ['pending_order_buildup'],
  starts_at: '2026-06-01T13:30:00Z',
  ends_at: '2026-06-01T15:00:00Z',
  reason: 'maintenance',
  created_by: 'arn:aws:iam::123456789012:user/alice',
  created_at: '2026-06-01T13:30:00Z',
  include_escalations: false,
  kind: 'manual',
  ...over,
});

describe('a file with malformed or refused entries never locks the operator out', () => {
  it('list names each bad entry and still shows the good ones', async () => {
    const dir = fresh();
    writeFile(dir, [
      null,
      { id: 'broken', codes: 'stuck_exits' },
      valid(),
      valid({ id: 's-long', ends_at: '2099-01-01T00:00:00Z' }),
    ]);
    const res = await cli(dir, 'list');
    expect(res.code).toBe(0);
    const lines = res.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^MALFORMED #0: not a silence \(null: .*\); it silences nothing \(remove it: silence expire '#0'\)$/,
    );
    expect(lines[1]).toMatch(/^MALFORMED #1 \(id "broken"\): not a silence \(codes: /);
    expect(lines[2]).toMatch(/^ACTIVE {2}s-ok {2}pending_order_buildup /);
    expect(lines[3]).toMatch(/^REFUSED s-long {2}pending_order_buildup /);
    expect(lines[4]).toMatch(/^ {8}does not apply: it lasts \d+ h .*: a silence lasts at most 24 h$/);
    const json = JSON.parse((await cli(dir, 'list', '--json')).out);
    expect(json.map((r: { state: string }) => r.state)).toEqual([
      'malformed',
      'malformed',
      'applies',
      'refused',
    ]);
  });

  it('expire works beside them, keeps them as they are, and removes a malformed one by #N', async () => {
    const dir = fresh();
    const wrong = { id: 7, note: 'kept as is' };
    writeFile(dir, [null, wrong, valid()]);
    const expired = await cli(dir, 'expire', 's-ok');
    expect(expired.code).toBe(0);
    const stored = JSON.parse(readFileSync(join(dir, SILENCES_KEY), 'utf8')).silences;
    expect(stored.slice(0, 2)).toEqual([null, wrong]);
    expect(stored[2]).toMatchObject({ id: 's-ok', expired_at: NOW, expired_by: 'local:alice' });
    const removed = await cli(dir, 'expire', '#0');
    expect(removed.out).toMatch(/^removed malformed entry #0: not a silence/);
    expect(JSON.parse(readFileSync(join(dir, SILENCES_KEY), 'utf8')).silences[0]).toEqual(wrong);
  });

  it('add still works beside a malformed entry', async () => {
    const dir = fresh();
    writeFile(dir, [null]);
    const add = await cli(dir, 'add', '--code', 'pnl_unknown_trades', '--for', '1h', '--reason', 'r');
    expect(add.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, SILENCES_KEY), 'utf8')).silences).toHaveLength(2);
  });
});

describe('an entry nested deeper than a silence', () => {
  // Valid in every known field, with an extra field nested 100 000 levels deep: JSON.stringify (the
  // write-back) cannot encode it. Written as text: the test cannot build it with JSON.stringify either.
  function writeDeep(dir: string, before: unknown[] = []): void {
    mkdirSync(join(dir, 'state'), { recursive: true });
    const text = encodeSilences([...before, valid({ id: 's-deep', note: '@@' })]).replace(
      '"@@"',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    );
    writeFileSync(join(dir, SILENCES_KEY), text);
  }

  it('is listed as malformed, removed by #N, and add names it instead of crashing', async () => {
    const dir = fresh();
    writeDeep(dir, [valid()]);
    const list = await cli(dir, 'list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^MALFORMED #1 \(id "s-deep"\): not a silence \(nested deeper than 8 levels\)/m);
    const add = await cli(dir, 'add', '--code', 'pnl_unknown_trades', '--for', '1h', '--reason', 'r');
    expect(add.code).toBe(2);
    expect(add.err).toContain(
      "entry #1 is nested deeper than 8 levels and cannot be written back: remove it first (silence expire '#1')",
    );
    expect(add.err).not.toMatch(/\n\s+at /);
    const other = await cli(dir, 'expire', 's-ok');
    expect(other.code).toBe(2);
    expect(other.err).toContain("remove it first (silence expire '#1')");
    const removed = await cli(dir, 'expire', '#1');
    expect(removed.code).toBe(0);
    expect(removed.out).toMatch(/^removed malformed entry #1: not a silence \(nested deeper/);
    expect(JSON.parse(readFileSync(join(dir, SILENCES_KEY), 'utf8')).silences).toEqual([valid()]);
    expect((await cli(dir, 'add', '--code', 'pnl_unknown_trades', '--for', '1h', '--reason', 'r')).code).toBe(
      0,
    );
  });
});

describe('an entry with a duplicate key', () => {
  it('is one malformed entry: list and expire still work, add names it, and the rest of the file applies', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'state'), { recursive: true });
    // Which include_escalations is meant? Neither reading is the stored one.
    const text = encodeSilences([valid(), valid({ id: 's-dup', codes: ['stuck_exits'] })]).replace(
      /("id": "s-dup"[^}]*"include_escalations": false)/,
      '$1, "include_escalations": true',
    );
    expect(text).toContain('"include_escalations": false, "include_escalations": true');
    writeFileSync(join(dir, SILENCES_KEY), text);
    const list = await cli(dir, 'list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^ACTIVE {2}s-ok /m);
    expect(list.out).toMatch(
      /^MALFORMED #1: not a silence \(duplicate key "include_escalations" in silences\[1\]: the entry is ambiguous\); it silences nothing/m,
    );
    const add = await cli(dir, 'add', '--code', 'pnl_unknown_trades', '--for', '1h', '--reason', 'r');
    expect(add.code).toBe(2);
    expect(add.err).toContain(
      "entry #1 has a duplicate key and cannot be written back: remove it first (silence expire '#1')",
    );
    const removed = await cli(dir, 'expire', '#1');
    expect(removed.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, SILENCES_KEY), 'utf8')).silences).toEqual([valid()]);
    expect((await cli(dir, 'expire', 's-ok')).code).toBe(0);
  });

  it('a duplicate key outside the entries still makes the whole file unreadable', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'state'), { recursive: true });
    writeFileSync(
      join(dir, SILENCES_KEY),
      encodeSilences([valid()]).replace('"schema"', '"schema": 1, "schema"'),
    );
    const list = await cli(dir, 'list');
    expect(list.code).toBe(2);
    expect(list.err).toContain('duplicate key "schema": the input is ambiguous');
  });
});

describe('expire ID beside a malformed entry with the same id', () => {
  it('expires the silence, not the malformed decoy (that one goes by #N)', async () => {
    const dir = fresh();
    writeFile(dir, [{ id: 's-ok', codes: 'pending_order_buildup' }, valid()]);
    const res = await cli(dir, 'expire', 's-ok');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/^expired ENDED {3}s-ok /);
    const stored = JSON.parse(readFileSync(join(dir, SILENCES_KEY), 'utf8')).silences;
    expect(stored[0]).toEqual({ id: 's-ok', codes: 'pending_order_buildup' });
    expect(stored[1]).toMatchObject({ id: 's-ok', expired_at: NOW, expired_by: 'local:alice' });
  });
});

describe("'#N' names the entry silence list showed", () => {
  it('after an entry ended over a week ago, expire #N still takes the malformed one, not its neighbour', async () => {
    const dir = fresh();
    const old = valid({
      id: 's-old',
      starts_at: '2026-05-20T13:00:00Z',
      ends_at: '2026-05-20T14:00:00Z',
      created_at: '2026-05-20T13:00:00Z',
    });
    writeFile(dir, [old, null, valid()]);
    expect((await cli(dir, 'list', '--all')).out).toMatch(/^MALFORMED #1: /m);
    const removed = await cli(dir, 'expire', '#1');
    expect(removed.code).toBe(0);
    expect(removed.out).toMatch(/^removed malformed entry #1: not a silence \(null/);
    const stored = JSON.parse(readFileSync(join(dir, SILENCES_KEY), 'utf8')).silences;
    expect(stored).toEqual([valid()]);
    expect((await cli(dir, 'list')).out).toMatch(/^ACTIVE {2}s-ok /);
  });
});

describe('the limits', () => {
  it('a reason or a creator over the limit is refused', async () => {
    const long = await cli(
      fresh(),
      'add',
      '--code',
      'pnl_unknown_trades',
      '--for',
      '1h',
      '--reason',
      'r'.repeat(501),
    );
    expect(long.code).toBe(2);
    expect(long.err).toContain('reason is 501 characters: at most 500');
    const by = await cli(
      fresh(),
      'add',
      '--code',
      'pnl_unknown_trades',
      '--for',
      '1h',
      '--reason',
      'r',
      '--by',
      'b'.repeat(SILENCE_LIMITS.byChars),
    );
    expect(by.code).toBe(2);
    // `local:` before a name as long as the limit.
    expect(by.err).toContain(
      `created_by is ${SILENCE_LIMITS.byChars + 6} characters: at most ${SILENCE_LIMITS.byChars}`,
    );
  });

  it('a file at the entry limit takes no more; list warns when a file is past a limit', async () => {
    const dir = fresh();
    writeFile(
      dir,
      Array.from({ length: 100 }, (_, i) => valid({ id: `s-${i}`, codes: ['pnl_unknown_trades'] })),
    );
    const add = await cli(dir, 'add', '--code', 'monitor_gap', '--for', '1h', '--reason', 'r');
    expect(add.code).toBe(2);
    expect(add.err).toContain('the file would hold 101 silences, over the limit of 100: expire some first');
    writeFile(
      dir,
      Array.from({ length: 101 }, (_, i) => valid({ id: `s-${i}`, reason: 'x'.repeat(2600) })),
    );
    const list = await cli(dir, 'list');
    expect(list.code).toBe(0);
    expect(list.err).toMatch(
      /^warning: the file is \d+ bytes, over the limit of 262144: the monitor reads none of it/m,
    );
    expect(list.err).toMatch(
      /^warning: the file holds 101 silences, over the limit of 100: the monitor applies none/m,
    );
  });
});

describe('what silence list prints', () => {
  it('never passes a terminal control sequence through: an active silence cannot erase its own line', async () => {
    const dir = fresh();
    const erase = '\u001b[2K\r\u001b[1A\u009b2K\u202e';
    writeFile(dir, [
      valid({ reason: `maintenance${erase}`, created_by: `alice${erase}` }),
      valid({ id: 's-bad', codes: [`nope${erase}`] }),
    ]);
    for (const args of [['list'], ['list', '--all']]) {
      const res = await cli(dir, ...args);
      expect(res.code).toBe(0);
      // eslint-disable-next-line no-control-regex
      expect(res.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      expect(res.out).toMatch(
        /^ACTIVE {2}s-ok .* by alice\\u001b\[2K\\u000d\\u001b\[1A\\u009b2K\\u202e: maintenance\\u001b/m,
      );
      expect(res.out).toMatch(/^ {8}does not apply: unknown event code\(s\) nope\\u001b\[2K/m);
    }
  });
});

describe('a full file', () => {
  const hour = 3_600_000;
  const ended = (i: number, over: Record<string, unknown> = {}) => {
    // Each ended between 2 and 6 days ago, an hour long, added at its start: nothing links them.
    const start = Date.parse(NOW) - 6 * 86_400_000 + i * hour;
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
    return valid({
      id: `s-old-${i}`,
      starts_at: iso(start),
      ends_at: iso(start + hour / 2),
      created_at: iso(start),
      ...over,
    });
  };

  it('makes room by dropping the silence that ended longest ago, once nothing depends on it', async () => {
    const dir = fresh();
    writeFile(
      dir,
      Array.from({ length: 100 }, (_, i) => ended(i)),
    );
    const add = await cli(
      dir,
      'add',
      '--code',
      'pnl_unknown_trades',
      '--for',
      '1h',
      '--reason',
      'r',
      '--json',
    );
    expect(add.code).toBe(0);
    const ids = JSON.parse(readFileSync(join(dir, SILENCES_KEY), 'utf8')).silences.map(
      (s: { id: string }) => s.id,
    );
    expect(ids).toHaveLength(100);
    expect(ids).not.toContain('s-old-0');
    expect(ids).toContain('s-old-1');
    expect(ids[99]).toBe(JSON.parse(add.out).id);
  });

  it('keeps what a chain still depends on, and what ended less than a day ago', async () => {
    const dir = fresh();
    const day = 86_400_000;
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
    const t = Date.parse(NOW);
    // s-old-0 ended 6 days ago; s-later was added before it ended and still holds: they are one chain.
    const later = valid({
      id: 's-later',
      created_at: iso(t - 6 * day + 10 * 60_000),
      starts_at: iso(t - hour),
      ends_at: iso(t + hour),
    });
    const recent = Array.from({ length: 98 }, (_, i) =>
      valid({
        id: `s-recent-${i}`,
        codes: ['monitor_gap'],
        created_at: iso(t - 3 * hour),
        starts_at: iso(t - 3 * hour),
        ends_at: iso(t - 2 * hour),
      }),
    );
    writeFile(dir, [ended(0), later, ...recent]);
    const add = await cli(dir, 'add', '--code', 'pnl_unknown_trades', '--for', '1h', '--reason', 'r');
    expect(add.code).toBe(2);
    expect(add.err).toContain('the file would hold 101 silences, over the limit of 100: expire some first');
    expect(add.err).toContain(
      'an ended silence makes room a day after it ends, once no silence added before its end still holds',
    );
  });
});

describe('a silence that would hold nothing back', () => {
  it('is refused for codes that always escalate, without --include-escalations', async () => {
    const res = await cli(
      fresh(),
      'add',
      '--code',
      'stuck_exits,unknown_fill',
      '--for',
      '1h',
      '--reason',
      'r',
    );
    expect(res.code).toBe(2);
    expect(res.err).toContain(
      'not added: it holds nothing back: stuck_exits, unknown_fill always escalate(s) and include_escalations is false',
    );
  });

  it('beside other codes, it says which it will still tell', async () => {
    const res = await cli(
      fresh(),
      'add',
      '--code',
      'stuck_exits,pending_exits,heartbeat_stale',
      '--for',
      '1h',
      '--reason',
      'r',
    );
    expect(res.code).toBe(0);
    expect(res.err).toContain(
      'warning: stuck_exits always escalate(s): this silence holds none of them back',
    );
    expect(res.err).toContain(
      'warning: heartbeat_stale: told anyway once the runbook says stop and escalate',
    );
  });
});

describe('chained silences', () => {
  it('a second silence on a code added while the first holds may not take the chain past 24 h', async () => {
    const dir = fresh();
    writeFile(dir, [
      valid({
        id: 's-first',
        starts_at: '2026-06-01T00:00:00Z',
        ends_at: '2026-06-01T20:00:00Z',
        created_at: '2026-06-01T00:00:00Z',
      }),
    ]);
    const more = await cli(
      dir,
      'add',
      '--code',
      'pending_order_buildup',
      '--from',
      '2026-06-01T20:00:00Z',
      '--for',
      '5h',
      '--reason',
      'r',
    );
    expect(more.code).toBe(2);
    expect(more.err).toContain(
      'not added: chained with s-first (added before it ended) it would keep pending_order_buildup quiet for 25 h',
    );
    expect(
      (
        await cli(
          dir,
          'add',
          '--code',
          'pending_order_buildup',
          '--from',
          '2026-06-01T20:00:00Z',
          '--for',
          '4h',
          '--reason',
          'r',
        )
      ).code,
    ).toBe(0);
  });

  it('expired first, a new silence starts a new chain', async () => {
    const dir = fresh();
    writeFile(dir, [
      valid({
        id: 's-first',
        starts_at: '2026-06-01T00:00:00Z',
        ends_at: '2026-06-01T20:00:00Z',
        created_at: '2026-06-01T00:00:00Z',
      }),
    ]);
    expect((await cli(dir, 'expire', 's-first')).code).toBe(0);
    expect(
      (await cli(dir, 'add', '--code', 'pending_order_buildup', '--for', '10h', '--reason', 'r')).code,
    ).toBe(0);
  });
});
