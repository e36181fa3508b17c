import { HttpDashboard, statusUrl } from '../../lambda/adapters/dashboard-http';
import { startDashboard, type LocalDashboard } from '../../lib/demo/fakes/dashboard-server';
import { HEALTHY } from '../helpers/bundle';

const PAYLOAD = HEALTHY.status_v3;
let dash: LocalDashboard;

beforeAll(async () => {
  dash = await startDashboard();
});
afterAll(() => dash.close());
beforeEach(() => {
  dash.requests.length = 0;
});

describe('HttpDashboard against a local dashboard', () => {
  it('fetches /api/status_v3 and returns the parsed payload', async () => {
    dash.serve({ kind: 'json', body: PAYLOAD });
    const result = await new HttpDashboard({ baseUrl: `${dash.url}/` }).fetch();
    expect(result).toEqual({ payload: PAYLOAD });
    expect(dash.requests.map((r) => r.path)).toEqual(['/api/status_v3']);
  });

  it('sends the bearer token when one is configured', async () => {
    dash.serve({ kind: 'json', body: {} });
    await new HttpDashboard({ baseUrl: dash.url, token: async () => 's3cret' }).fetch();
    expect(dash.requests[0].authorization).toBe('Bearer s3cret');
  });

  it('a failure whose words quote the token (a refused header) reaches the dashboard error without it', async () => {
    const fetchImpl = (async (_url: string, init: RequestInit) => {
      const auth = (init.headers as Record<string, string>).authorization;
      throw new TypeError('fetch failed', { cause: new Error(`Headers.append: "${auth}" is invalid`) });
    }) as unknown as typeof fetch;
    const result = await new HttpDashboard({
      baseUrl: dash.url,
      token: async () => 'Zq8vX3kPw9LmT7rB',
      fetchImpl,
    }).fetch();
    expect(result).toEqual({
      error: 'connection failed: Headers.append: "Bearer [the token]" is invalid',
    });
  });

  it('turns a token failure into a dashboard error without calling the dashboard', async () => {
    const result = await new HttpDashboard({
      baseUrl: dash.url,
      token: async () => {
        throw new Error('AccessDeniedException');
      },
    }).fetch();
    expect(result).toEqual({ error: 'dashboard token unavailable: AccessDeniedException' });
    expect(dash.requests).toHaveLength(0);
  });

  it('times out a dashboard that never answers (no retry)', async () => {
    dash.serve({ kind: 'hang' });
    const started = Date.now();
    const result = await new HttpDashboard({ baseUrl: dash.url, timeoutMs: 300 }).fetch();
    expect(result).toEqual({ error: 'timeout after 300 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(dash.requests).toHaveLength(1);
  });

  it('times out a dashboard that drips its body slower than the timeout', async () => {
    dash.serve({ kind: 'slow', delayMs: 2000, body: PAYLOAD });
    expect(await new HttpDashboard({ baseUrl: dash.url, timeoutMs: 300 }).fetch()).toEqual({
      error: 'timeout after 300 ms',
    });
  });

  it('accepts a slow dashboard that finishes within the timeout', async () => {
    dash.serve({ kind: 'slow', delayMs: 100, body: PAYLOAD });
    expect(await new HttpDashboard({ baseUrl: dash.url, timeoutMs: 2000 }).fetch()).toEqual({
      payload: PAYLOAD,
    });
  });

  it('retries a 5xx once and succeeds', async () => {
    dash.serve({ kind: 'status', status: 502 }, { kind: 'json', body: PAYLOAD });
    expect(await new HttpDashboard({ baseUrl: dash.url }).fetch()).toEqual({ payload: PAYLOAD });
    expect(dash.requests).toHaveLength(2);
  });

  it('gives up after one retry of a 5xx', async () => {
    dash.serve({ kind: 'status', status: 503 });
    expect(await new HttpDashboard({ baseUrl: dash.url }).fetch()).toEqual({ error: 'HTTP 503' });
    expect(dash.requests).toHaveLength(2);
  });

  it('does not retry a 4xx', async () => {
    dash.serve({ kind: 'status', status: 401 });
    expect(await new HttpDashboard({ baseUrl: dash.url }).fetch()).toEqual({ error: 'HTTP 401' });
    expect(dash.requests).toHaveLength(1);
  });

  it('reports an HTML page as not JSON', async () => {
    dash.serve({ kind: 'html' });
    const result = await new HttpDashboard({ baseUrl: dash.url }).fetch();
    expect(result).toEqual({ error: expect.stringMatching(/^not JSON \(text\/html/) });
  });

  it('reports a payload with a duplicate key as ambiguous, naming the key (no last-wins reading)', async () => {
    const body = '{"generated_at": "2026-06-01T14:05:02Z", "stuck_exits": 1, "stuck_exits": 0}';
    const fetchImpl = (async () =>
      new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })) as typeof fetch;
    const result = await new HttpDashboard({ baseUrl: 'http://127.0.0.1:9', fetchImpl }).fetch();
    expect(result).toEqual({
      error: 'ambiguous JSON: duplicate key "stuck_exits": the input is ambiguous',
    });
  });

  it('stops reading a response over the size cap', async () => {
    dash.serve({ kind: 'oversized', bytes: 3 * 1024 * 1024 });
    const result = await new HttpDashboard({ baseUrl: dash.url, maxBytes: 1024 * 1024 }).fetch();
    expect(result).toEqual({ error: 'response too large (over 1048576 bytes)' });
  });

  it('retries a refused connection once, then reports it', async () => {
    const closed = await startDashboard();
    const url = closed.url;
    await closed.close();
    const result = await new HttpDashboard({ baseUrl: url }).fetch();
    expect(result).toEqual({ error: 'connection failed: ECONNREFUSED' });
  });

  it('builds the status URL from a base with or without a trailing slash', () => {
    expect(statusUrl('https://d.example/')).toBe('https://d.example/api/status_v3');
    expect(statusUrl('https://d.example/base')).toBe('https://d.example/base/api/status_v3');
  });
});
