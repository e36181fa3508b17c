// The dashboard's bearer token goes only over https, or plain http to a private address; the adapter
// refuses anything else before the secret is read or a byte is sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpDashboard } from '../../lambda/adapters/dashboard-http';
import { isPrivateAddress, tokenTransportProblem } from '../../lambda/adapters/token-transport';
import { startDashboard, type LocalDashboard } from '../../lib/demo/fakes/dashboard-server';

let dash: LocalDashboard;
beforeAll(async () => {
  dash = await startDashboard();
});
afterAll(() => dash.close());
beforeEach(() => {
  dash.requests.length = 0;
});

describe('private addresses', () => {
  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.1',
    '100.64.0.9',
    '127.0.0.1',
    '::1',
    'fd12:3456::1',
    '::ffff:10.0.0.5',
  ])('%s is private', (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each([
    '8.8.8.8',
    '172.32.0.1',
    '203.0.113.10',
    '169.254.169.254',
    '2001:db8::1',
    '::ffff:8.8.8.8',
    'dash.internal',
    '',
  ])('%s is not', (ip) => expect(isPrivateAddress(ip)).toBe(false));
});

describe('tokenTransportProblem', () => {
  const never = async (): Promise<string[]> => new Promise(() => undefined);

  it('allows https anywhere without resolving', async () => {
    expect(await tokenTransportProblem('https://dash.example.com', never)).toBeUndefined();
  });

  it('allows plain http to a host whose every address is private', async () => {
    expect(
      await tokenTransportProblem('http://dash.vpc:8080', async () => ['10.0.3.7', 'fd00::7']),
    ).toBeUndefined();
  });

  it.each([
    ['a public IP literal', 'http://203.0.113.10:8080', async () => [], /203\.0\.113\.10/],
    [
      'a public name',
      'http://dash.example.com',
      async () => ['93.184.216.34'],
      /93\.184\.216\.34 is not a private address/,
    ],
    [
      'a name with one public address among private ones',
      'http://dash.mixed',
      async () => ['10.0.0.1', '8.8.4.4'],
      /8\.8\.4\.4/,
    ],
    [
      'a name that does not resolve',
      'http://dash.nowhere',
      async () => Promise.reject(new Error('ENOTFOUND')),
      /could not be resolved/,
    ],
    ['a resolver that never answers', 'http://dash.slow', never, /no answer in 200 ms/],
  ])('refuses plain http to %s', async (_what, url, resolve, reason) => {
    const problem = await tokenTransportProblem(url, resolve, 200);
    expect(problem).toMatch(/^refusing to send the dashboard token over plain http to /);
    expect(problem).toMatch(reason);
  });
});

describe('HttpDashboard with a token', () => {
  it('never reads the secret nor calls a dashboard on plain http at a public address', async () => {
    let secretRead = false;
    const seen: string[] = [];
    const result = await new HttpDashboard({
      baseUrl: 'http://dash.example.com:8080',
      token: async () => {
        secretRead = true;
        return 's3cret';
      },
      resolveHost: async () => ['93.184.216.34'],
      fetchImpl: (async (url: string) => {
        seen.push(url);
        throw new Error('must not be called');
      }) as unknown as typeof fetch,
    }).fetch();
    expect(result).toEqual({
      error:
        'refusing to send the dashboard token over plain http to dash.example.com (93.184.216.34 is not a private address): use https, or http to a private address inside the VPC',
    });
    expect(secretRead).toBe(false);
    expect(seen).toEqual([]);
  });

  it('sends it over plain http to loopback and private addresses', async () => {
    dash.serve({ kind: 'json', body: {} });
    const port = new URL(dash.url).port;
    await new HttpDashboard({
      baseUrl: `http://dash.vpc:${port}`,
      token: async () => 's3cret',
      resolveHost: async () => ['127.0.0.1'],
      fetchImpl: ((url: string, init: RequestInit) =>
        fetch(url.replace('dash.vpc', '127.0.0.1'), init)) as typeof fetch,
    }).fetch();
    expect(dash.requests[0].authorization).toBe('Bearer s3cret');
  });

  it('without a token, plain http is no leak and is not refused', async () => {
    dash.serve({ kind: 'json', body: { pending_orders: 0 } });
    expect(await new HttpDashboard({ baseUrl: dash.url }).fetch()).toEqual({
      payload: { pending_orders: 0 },
    });
  });
});

describe('DNS rebinding: the token goes to the address proven private, never to a second answer', () => {
  let server: Server;
  let port: number;
  const seen: { host?: string; authorization?: string; path?: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ host: req.headers.host, authorization: req.headers.authorization, path: req.url });
      res.setHeader('content-type', 'application/json');
      res.end('{"pending_orders":0}');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('resolves the name once and connects to that private answer, with the URL host in Host', async () => {
    // The first answer is private (the check), any later one public (what a rebinding server does).
    const answers = [['127.0.0.1'], ['203.0.113.10']];
    let asked = 0;
    const result = await new HttpDashboard({
      baseUrl: `http://dash.rebind.invalid:${port}`,
      token: async () => 's3cret',
      resolveHost: async () => answers[Math.min(asked++, 1)],
    }).fetch();
    expect(result).toEqual({ payload: { pending_orders: 0 } });
    expect(asked).toBe(1);
    expect(seen).toEqual([
      { host: `dash.rebind.invalid:${port}`, authorization: 'Bearer s3cret', path: '/api/status_v3' },
    ]);
  });

  it('keeps its deadline on the pinned connection: a dashboard that never answers is a timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const at = (silent.address() as AddressInfo).port;
    try {
      const result = await new HttpDashboard({
        baseUrl: `http://dash.rebind.invalid:${at}`,
        token: async () => 's3cret',
        resolveHost: async () => ['127.0.0.1'],
        timeoutMs: 300,
      }).fetch();
      expect(result).toEqual({ error: 'timeout after 300 ms' });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((done) => silent.close(() => done()));
    }
  });

  it('a redirect from the pinned address is refused, as fetch with redirect: error refuses it', async () => {
    const redirecting = createServer((_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', 'http://203.0.113.10/steal');
      res.end();
    });
    await new Promise<void>((done) => redirecting.listen(0, '127.0.0.1', done));
    const at = (redirecting.address() as AddressInfo).port;
    try {
      const result = await new HttpDashboard({
        baseUrl: `http://dash.rebind.invalid:${at}`,
        token: async () => 's3cret',
        resolveHost: async () => ['127.0.0.1'],
      }).fetch();
      expect(result).toEqual({ error: 'connection failed: unexpected redirect' });
    } finally {
      await new Promise<void>((done) => redirecting.close(() => done()));
    }
  });
});
