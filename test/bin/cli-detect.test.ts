import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { COMMANDS, main } from '../../bin/commands/main';
import { captureIo } from '../helpers/cli-io';
import { sharedPath } from '../helpers/shared';

const EXAMPLE = sharedPath('spec/examples/observation.healthy.json');

describe('aegis-pt-health detect', () => {
  it('evaluates a bundle file and prints the output JSON (exit 0)', async () => {
    const io = captureIo();
    expect(await main(['detect', '--observation', EXAMPLE], io)).toBe(0);
    const out = JSON.parse(io.out);
    expect(out).toMatchObject({
      schema: 'aegis-pt-health/v1',
      events: [],
      new_events: [],
      decision: 'observe',
    });
  });

  it('reads the bundle from stdin with - or no flag', async () => {
    const stdin = JSON.stringify({ now: '2026-06-06T15:00:00Z' });
    for (const args of [['detect', '--observation', '-'], ['detect']]) {
      const io = captureIo({ stdin });
      expect(await main(args, io)).toBe(0);
      expect(JSON.parse(io.out).clock.market).toBe('closed');
    }
  });

  it('exits 0 whatever the health', async () => {
    const io = captureIo({ stdin: JSON.stringify({ now: '2026-06-01T14:05:00Z' }) });
    expect(await main(['detect'], io)).toBe(0);
    expect(JSON.parse(io.out).decision).toBe('notify');
  });

  it.each([
    ['not JSON', 'this is not json', /not valid JSON/],
    ['no now', '{"status_v3":{}}', /"now" must be an ISO-8601 timestamp/],
    ['a JSON array', '[]', /must be a JSON object/],
  ])('exits 2 on %s', async (_name, stdin, message) => {
    const io = captureIo({ stdin });
    expect(await main(['detect'], io)).toBe(2);
    expect(io.err).toMatch(message);
    expect(io.out).toBe('');
  });

  it('exits 2 on a missing file and on a bad configuration variable, naming it', async () => {
    const missing = captureIo();
    expect(await main(['detect', '--observation', '/nonexistent/bundle.json'], missing)).toBe(2);
    expect(missing.err).toContain('cannot read observation: no such file /nonexistent/bundle.json');
    expect(missing.err).not.toContain('ENOENT');
    const badEnv = captureIo({ env: { AEGIS_PT_PENDING_ORDER_WARN: 'two' } });
    expect(await main(['detect', '--observation', EXAMPLE], badEnv)).toBe(2);
    expect(badEnv.err).toContain('AEGIS_PT_PENDING_ORDER_WARN');
  });

  it('exits 2 naming the variable on {} when live collection is not configured', async () => {
    const io = captureIo({ stdin: '{}' });
    expect(await main(['detect'], io)).toBe(2);
    expect(io.err).toMatch(/AEGIS_PT_CLUSTER: is required/);
  });

  it('exits 2 on an unknown option or command', async () => {
    expect(await main(['detect', '--bogus'], captureIo())).toBe(2);
    expect(await main(['frobnicate'], captureIo())).toBe(2);
  });

  it('prints help for the program and every command', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out).toContain('detect');
    expect(io.out).toContain('calendar');
    for (const command of Object.keys(COMMANDS)) {
      const c = captureIo();
      expect(await main([command, '--help'], c)).toBe(0);
      expect(c.out).toContain(`Usage: aegis-pt-health ${command}`);
    }
  });
});

describe('aegis-pt-health calendar', () => {
  it('prints the sessions in a range, in UTC', async () => {
    const io = captureIo();
    expect(await main(['calendar', '--from', '2026-11-25', '--to', '2026-11-30'], io)).toBe(0);
    expect(JSON.parse(io.out)).toEqual([
      { date: '2026-11-25', open: '2026-11-25T14:30:00Z', close: '2026-11-25T21:00:00Z', early_close: false },
      { date: '2026-11-27', open: '2026-11-27T14:30:00Z', close: '2026-11-27T18:00:00Z', early_close: true },
      { date: '2026-11-30', open: '2026-11-30T14:30:00Z', close: '2026-11-30T21:00:00Z', early_close: false },
    ]);
  });

  it('honours AEGIS_PT_MARKET_CLOSURES', async () => {
    const io = captureIo({ env: { AEGIS_PT_MARKET_CLOSURES: '2026-11-25' } });
    expect(await main(['calendar', '--from', '2026-11-25', '--to', '2026-11-25'], io)).toBe(0);
    expect(JSON.parse(io.out)).toEqual([]);
  });

  it.each([
    [['calendar']],
    [['calendar', '--from', '2026-01-01']],
    [['calendar', '--from', '2026-13-01', '--to', '2026-12-01']],
    [['calendar', '--from', '2026-02-01', '--to', '2026-01-01']],
    [['calendar', '--from', '1900-01-01', '--to', '2026-01-01']],
  ])('exits 2 on %j', async (args) => {
    const io = captureIo();
    expect(await main(args, io)).toBe(2);
    expect(io.err).not.toBe('');
  });
});

describe('the installed command (dist/cli.js built by npm prepare)', () => {
  const root = resolve(__dirname, '../..');
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root });
  });

  it('runs detect on a file and reports exit codes to the shell', () => {
    const ok = spawnSync(process.execPath, ['dist/cli.js', 'detect', '--observation', EXAMPLE], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).decision).toBe('observe');
    const dir = mkdtempSync(join(tmpdir(), 'aegis-cli-'));
    writeFileSync(join(dir, 'bad.json'), '{"now": "never"}');
    const bad = spawnSync(
      process.execPath,
      ['dist/cli.js', 'detect', '--observation', join(dir, 'bad.json')],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('"now"');
  });
});
