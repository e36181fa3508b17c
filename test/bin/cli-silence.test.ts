// `silence add|list|expire` offline on --runs-dir: the file the Lambda reads, clear errors, the
// maximum, the escalation warning, and conditional writes between two operators.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { FsStore } from '../../lambda/adapters/fs-store';
import { WriteConflictError } from '../../lambda/ports';
import { SILENCES_KEY } from '../../lambda/shared/state-layout';
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
      created_by: 'alice',
      include_escalations: false,
      kind: 'manual',
    });
    const file = JSON.parse(readFileSync(join(dir, SILENCES_KEY), 'utf8'));
    expect(file.silences).toEqual([silence]);

    const list = await cli(dir, 'list');
    expect(list.out).toMatch(
      new RegExp(`^ACTIVE  ${silence.id}  pending_order_buildup .* by alice: broker maintenance`),
    );

    const expire = await cli(dir, 'expire', silence.id, '--by', 'bob');
    expect(expire.code).toBe(0);
    expect(expire.out).toContain('expired 2026-06-01T14:00:00Z by bob');
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
