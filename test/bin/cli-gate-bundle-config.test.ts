// Review of issue #21's "no false GO": the detector lets an observation bundle's own `config` win over the
// environment, and the gate took it too. Evidence that brings its own thresholds grades itself: a closure
// listed for today turned a Monday 10:20 ET deploy into one "outside market hours" (no scheduled check
// owed), and raised exit-attempt thresholds hid 15 attempts: post GO on an empty run store. The gate now
// refuses a bundle (observation or baseline) whose config would change any setting (exit 2 naming it);
// one that repeats the operator's settings (the spec's healthy example) is judged as before.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { captureIo } from '../helpers/cli-io';
import { CLEAN_RUNS, post, pre } from '../ops/gate-fixtures';
import { runsDir } from '../helpers/runs';

const LOOSE = {
  AEGIS_PT_MARKET_CLOSURES: ['2026-06-01'],
  AEGIS_PT_HIGH_EXIT_ATTEMPT_WARN: 50,
  AEGIS_PT_HIGH_EXIT_ATTEMPT_CRITICAL: 60,
};
const dir = mkdtempSync(join(tmpdir(), 'aegis-gate-config-'));
const write = (name: string, b: unknown) => {
  writeFileSync(join(dir, name), JSON.stringify(b));
  return join(dir, name);
};
const attempts = { status: { max_exit_attempt_count: 15 } };

async function gate(args: string[]) {
  const io = captureIo({ now: '2026-06-01T14:20:30Z', env: { AEGIS_PT_CLUSTER: 'aegis-pt' } });
  const code = await main(['gate', ...args], io);
  return { code, out: io.out, err: io.err };
}

describe("gate: an observation's own config never loosens the gate", () => {
  it('post: exit 2 naming the settings, not GO on an empty run store', async () => {
    const empty = await runsDir([]);
    const r = await gate([
      '--phase',
      'post',
      '--baseline',
      write('base.json', { ...pre(attempts), config: LOOSE }),
      '--observation',
      write('post.json', { ...post(attempts), config: LOOSE }),
      '--runs-dir',
      empty,
    ]);
    expect(r.out).not.toMatch(/VERDICT: GO/);
    expect(r.err).toMatch(
      /--observation: the bundle's config changes AEGIS_PT_HIGH_EXIT_ATTEMPT_WARN, AEGIS_PT_HIGH_EXIT_ATTEMPT_CRITICAL, AEGIS_PT_MARKET_CLOSURES: the gate judges against the operator's configuration/,
    );
    expect(r.code).toBe(2);
  });

  it('pre and post: a baseline or an observation alone with its own config is refused too', async () => {
    const pre1 = await gate([
      '--phase',
      'pre',
      '--observation',
      write('p.json', { ...pre(), config: LOOSE }),
      '--out',
      join(dir, 'o.json'),
    ]);
    expect(pre1.err).toMatch(/--observation: the bundle's config changes/);
    expect(pre1.code).toBe(2);
    const base = await gate([
      '--phase',
      'post',
      '--baseline',
      write('b2.json', { ...pre(), config: { AEGIS_PT_PENDING_ORDER_STALE_SEC: 86400 } }),
      '--observation',
      write('o2.json', post()),
      '--runs-dir',
      await runsDir(CLEAN_RUNS()),
    ]);
    expect(base.err).toMatch(/--baseline: the bundle's config changes AEGIS_PT_PENDING_ORDER_STALE_SEC/);
    expect(base.code).toBe(2);
  });

  it("GO still on bundles whose config repeats the operator's settings (the spec's healthy example)", async () => {
    const same = { AEGIS_PT_HEARTBEAT_STALE_SEC: 300 };
    const r = await gate([
      '--phase',
      'post',
      '--baseline',
      write('b3.json', { ...pre(), config: same }),
      '--observation',
      write('o3.json', { ...post(), config: same }),
      '--runs-dir',
      await runsDir(CLEAN_RUNS()),
    ]);
    expect(r.out).toMatch(/VERDICT: GO/);
    expect(r.code).toBe(0);
  });
});
