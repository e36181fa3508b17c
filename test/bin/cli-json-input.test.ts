// A duplicate key in any JSON the CLI reads is bad input: exit 2, one line naming the key, in every
// command (the last-wins reading hid `"stuck_exits": 1` behind `"stuck_exits": 0`).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { SILENCES_KEY } from '../../lambda/shared/state-layout';
import { captureIo } from '../helpers/cli-io';
import { bundle } from '../helpers/bundle';
import { record, runsDir } from '../helpers/runs';
import { pre } from '../ops/gate-fixtures';

async function run(args: string[], now = '2026-06-01T14:05:30Z') {
  const io = captureIo({ now });
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

/** The healthy bundle's text with `"stuck_exits": 1` written before the payload's own `"stuck_exits": 0`. */
function hiddenStuckExit(b: Record<string, unknown>): string {
  const text = JSON.stringify(b, null, 2);
  const out = text.replace('"stuck_exits": 0', '"stuck_exits": 1,\n    "stuck_exits": 0');
  expect(out).not.toBe(text);
  return out;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'aegis-dup-'));

describe('duplicate keys are bad input in every command', () => {
  const file = (text: string) => {
    const p = join(tmp(), 'input.json');
    writeFileSync(p, text);
    return p;
  };

  it.each([
    ['detect --observation', (f: string) => ['detect', '--observation', f]],
    ['snapshot --observation', (f: string) => ['snapshot', '--observation', f]],
    [
      'gate --phase pre --observation',
      (f: string) => ['gate', '--phase', 'pre', '--observation', f, '--out', join(tmp(), 'o.json')],
    ],
  ])('%s: exit 2 naming the key', async (_name, args) => {
    const r = await run(args(file(hiddenStuckExit(pre()))));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/duplicate key "stuck_exits" in status_v3/);
    expect(r.out).toBe('');
  });

  it('gate --phase post: a duplicate key in the baseline is exit 2', async () => {
    const base = file(hiddenStuckExit(pre()));
    const obs = file(JSON.stringify(pre()));
    const r = await run(['gate', '--phase', 'post', '--baseline', base, '--observation', obs]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the baseline: duplicate key "stuck_exits" in status_v3/);
  });

  it('detect from stdin: exit 2 naming a nested key', async () => {
    const io = captureIo({
      stdin: JSON.stringify(bundle()).replace('"ok":true', '"ok":false,"ok":true'),
    });
    expect(await main(['detect', '--observation', '-'], io)).toBe(2);
    expect(io.err).toMatch(/duplicate key "ok" in status_v3\.last_position_reconcile/);
  });

  it('invoke --event: exit 2 naming the key', async () => {
    const r = await run(['invoke', '--event', file('{"trigger": "manual", "trigger": "schedule:primary"}')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/duplicate key "trigger"/);
  });

  it('prove-deploy --log-file: exit 2 naming the key', async () => {
    const dir = await runsDir([]);
    const log = file(
      '{"timestamp": 1780322851000, "message": "{\\"trigger\\":\\"schedule:primary\\",\\"code_version\\":\\"old\\",\\"code_version\\":\\"new\\"}"}\n',
    );
    const r = await run([
      'prove-deploy',
      '--runs-dir',
      dir,
      '--started-at',
      '2026-06-01T14:00:00Z',
      '--code-version',
      'new',
      '--log-file',
      log,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/duplicate key "code_version"/);
  });

  describe('a run record with a duplicate key', () => {
    async function dirWithAmbiguousRecord(): Promise<string> {
      const dir = await runsDir([record('2026-06-01T14:07:30Z', 'schedule:primary')]);
      const day = join(dir, 'runs', '2026', '06', '01');
      mkdirSync(day, { recursive: true });
      const text = JSON.stringify(record('2026-06-01T14:17:30Z', 'schedule:primary')).replace(
        '"checked_at":"2026-06-01T14:17:30Z"',
        '"checked_at":"2026-06-01T13:00:00Z","checked_at":"2026-06-01T14:17:30Z"',
      );
      writeFileSync(join(day, '2026-06-01T14:17:30Z-schedule:primary.json'), text);
      return dir;
    }
    it.each([
      ['gap', ['gap', '--created-after', '2026-06-01T14:00:00Z', '--until', '2026-06-01T15:00:00Z']],
      ['kpi', ['kpi', '--until', '2026-06-01', '--sessions', '1']],
      ['report', ['report', '--date', '2026-06-01', '--out', '/dev/null']],
      ['replay', ['replay', '--from', '2026-06-01T14:00:00Z', '--to', '2026-06-01T15:00:00Z']],
      ['prove-deploy', ['prove-deploy', '--started-at', '2026-06-01T14:00:00Z', '--records-only']],
    ])('%s: exit 2 naming the record and the key', async (_name, args) => {
      const dir = await dirWithAmbiguousRecord();
      const r = await run([...args, '--runs-dir', dir], '2026-06-02T00:00:00Z');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/run record \S+14:17:30Z-schedule:primary\.json: duplicate key "checked_at"/);
    });
  });

  it('silence list: a silences file with a duplicate key is exit 2 naming the key', async () => {
    const dir = await runsDir([]);
    mkdirSync(join(dir, 'state'), { recursive: true });
    writeFileSync(
      join(dir, SILENCES_KEY),
      '{"schema": "aegis-pt-health/silences/v1", "silences": [], "silences": [{"id": "s1"}]}',
    );
    const r = await run(['silence', 'list', '--runs-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/duplicate key "silences"/);
  });
});
