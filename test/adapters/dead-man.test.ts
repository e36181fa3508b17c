// The dead-man's switch adapter against a loopback HTTP server: the right URL per outcome, a deadline,
// and never a failure of the check nor a token in the log.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deadManSwitch, type PingOutcome } from '../../lambda/adapters/dead-man';

const TOKEN = '5f2a7b0e-1c3d-4e5f-8a9b-0c1d2e3f4a5b';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly body: string;
}

let server: Server;
let base: string;
let seen: Seen[];
let respond: (req: IncomingMessage) => number | 'hang';
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      const status = respond(req);
      if (status === 'hang') return; // never answers
      res.writeHead(status).end('OK');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  seen = [];
  respond = () => 200;
});

function recordingLog() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  return {
    lines,
    info: (message: string, fields?: Record<string, unknown>) =>
      lines.push({ level: 'info', message, fields }),
    warn: (message: string, fields?: Record<string, unknown>) =>
      lines.push({ level: 'warn', message, fields }),
  };
}

const inOneMinute = () => Date.now() + 60_000;

describe('the dead-man switch', () => {
  it.each([
    ['start', `/${TOKEN}/start?rid=run-1`],
    ['success', `/${TOKEN}?rid=run-1`],
    ['fail', `/${TOKEN}/fail?rid=run-1`],
  ] as [PingOutcome, string][])('pings %s at %s with no body, and logs the status', async (outcome, path) => {
    const log = recordingLog();
    await deadManSwitch({ url: base, token: async () => TOKEN, log }).forRun('run-1', inOneMinute())(outcome);
    expect(seen).toEqual([{ method: 'GET', url: path, body: '' }]);
    expect(log.lines).toEqual([
      { level: 'info', message: 'dead-man ping', fields: { outcome, status: 200, ms: expect.any(Number) } },
    ]);
  });

  it('gives up at its deadline when the service does not answer, without failing', async () => {
    respond = () => 'hang';
    const log = recordingLog();
    const started = Date.now();
    await deadManSwitch({ url: base, token: async () => TOKEN, log, timeoutMs: 300 }).forRun(
      'r',
      inOneMinute(),
    )('success');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(log.lines).toEqual([
      {
        level: 'warn',
        message: 'dead-man ping failed',
        fields: { outcome: 'success', reason: 'no answer in 300 ms', ms: expect.any(Number) },
      },
    ]);
  });

  it("keeps within the run's own deadline, and skips when none is left", async () => {
    const log = recordingLog();
    await deadManSwitch({ url: base, token: async () => TOKEN, log }).forRun('r', Date.now() - 1)('success');
    expect(seen).toEqual([]);
    expect(log.lines[0]).toMatchObject({ level: 'warn', message: 'dead-man ping skipped' });
  });

  it('logs a refusal (HTTP 404: a wrong token) as a warning', async () => {
    respond = () => 404;
    const log = recordingLog();
    await deadManSwitch({ url: base, token: async () => TOKEN, log }).forRun('r', inOneMinute())('success');
    expect(log.lines).toEqual([
      {
        level: 'warn',
        message: 'dead-man ping refused',
        fields: { outcome: 'success', status: 404, ms: expect.any(Number) },
      },
    ]);
  });

  it('does not ping, nor fail, when the token cannot be read', async () => {
    const log = recordingLog();
    const token = async () => {
      throw Object.assign(new Error('secret is empty'), { name: 'Error' });
    };
    await deadManSwitch({ url: base, token, log }).forRun('r', inOneMinute())('start');
    expect(seen).toEqual([]);
    expect(log.lines).toEqual([
      {
        level: 'warn',
        message: 'dead-man ping failed',
        fields: { outcome: 'start', reason: 'token: Error: secret is empty' },
      },
    ]);
  });

  it('never writes the token in the log, whatever fails', async () => {
    const log = recordingLog();
    await deadManSwitch({ url: 'https://127.0.0.1:1', token: async () => TOKEN, log }).forRun(
      'r',
      inOneMinute(),
    )('fail');
    expect(log.lines).toHaveLength(1);
    expect(JSON.stringify(log.lines)).not.toContain(TOKEN);
  });
});
