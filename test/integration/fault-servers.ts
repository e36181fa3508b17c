// Loopback stand-ins that can misbehave on demand, for the fault-injection suite: a dashboard that
// serves any bytes (a BOM, megabytes) or hangs, and an ECS endpoint speaking the ECS API's JSON
// protocol (DescribeServices, ListTasks, DescribeTasks) that serves an observation or hangs, so the
// real ECS adapter and SDK client run against it.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface FaultServer {
  readonly url: string;
  /** Requests answered or held. */
  readonly hits: string[];
  close(): Promise<void>;
}

async function listen(handle: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const held = new Set<ServerResponse>();
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      hits.push(`${req.method} ${req.url} ${req.headers['x-amz-target'] ?? ''}`.trim());
      held.add(res);
      res.on('close', () => held.delete(res));
      handle(req, body, res);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((ok) => {
        for (const r of held) r.destroy();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

export interface FaultDashboard extends FaultServer {
  /** Serves these exact bytes as application/json, or hangs (accepts, never answers). */
  serve(body: string | 'hang'): void;
}

export async function startFaultDashboard(): Promise<FaultDashboard> {
  let current: string = '{}';
  const base = await listen((_req, _body, res) => {
    if (current === 'hang') return;
    res.writeHead(200, { 'content-type': 'application/json' }).end(current);
  });
  return { ...base, serve: (b) => (current = b) };
}

type Json = Record<string, unknown>;

/** The SDK reads ECS timestamps as epoch seconds. */
function epochs(value: unknown): unknown {
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) return Date.parse(value) / 1000;
  if (Array.isArray(value)) return value.map(epochs);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, epochs(v)]));
  }
  return value;
}

export interface FaultEcs extends FaultServer {
  /** Serves this observation (the contract's shape: service, tasks, stopped_tasks), or hangs. */
  serve(observation: Json | 'hang'): void;
}

export async function startFaultEcs(): Promise<FaultEcs> {
  let current: Json | 'hang' = 'hang';
  const base = await listen((req, body, res) => {
    if (current === 'hang') return;
    const obs = current;
    const input = JSON.parse(body || '{}') as Json;
    const target = String(req.headers['x-amz-target'] ?? '')
      .split('.')
      .pop();
    const running = (obs.tasks ?? []) as Json[];
    const stopped = (obs.stopped_tasks ?? []) as Json[];
    let out: unknown;
    if (target === 'DescribeServices') out = { services: [obs.service], failures: [] };
    else if (target === 'ListTasks') {
      const list = input.desiredStatus === 'STOPPED' ? stopped : running;
      out = { taskArns: list.map((t) => t.taskArn) };
    } else if (target === 'DescribeTasks') {
      const wanted = new Set(input.tasks as string[]);
      out = { tasks: [...running, ...stopped].filter((t) => wanted.has(t.taskArn as string)), failures: [] };
    } else {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'InvalidParameterException', message: `unexpected ${target}` }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(epochs(out)));
  });
  return { ...base, serve: (o) => (current = o) };
}

export type S3Fault = 'pass' | 'hang' | 'fail';

export interface S3FaultProxy extends FaultServer {
  /** Decides each request by method and path (`/bucket/key`): forwarded, held unanswered, or 503. */
  rule(decide: (method: string, path: string) => S3Fault): void;
}

/**
 * A loopback proxy in front of moto's S3, so the real S3 adapter and SDK client meet a hung or failing
 * request (503 SlowDown, which the SDK retries) on exactly the calls a test names.
 */
export async function startS3FaultProxy(target: string): Promise<S3FaultProxy> {
  let decide: (method: string, path: string) => S3Fault = () => 'pass';
  const held = new Set<ServerResponse>();
  const hits: string[] = [];
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const path = decodeURIComponent((req.url ?? '').split('?')[0]);
      const fault = decide(req.method ?? '', path);
      hits.push(`${req.method} ${path} ${fault}`);
      held.add(res);
      res.on('close', () => held.delete(res));
      if (fault === 'hang') return;
      if (fault === 'fail') {
        res.writeHead(503, { 'content-type': 'application/xml' });
        res.end('<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
        return;
      }
      const fwd = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      fwd.on('error', () => res.destroy());
      fwd.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    rule: (d) => (decide = d),
    close: () =>
      new Promise<void>((ok) => {
        for (const r of held) r.destroy();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
