// A local stand-in for the runtime's dashboard: serves GET /api/status_v3 on loopback with whatever
// the demo's script or a test sets, including the failure modes of a real one.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type DashboardBehaviour =
  | { readonly kind: 'json'; readonly body: unknown }
  | { readonly kind: 'status'; readonly status: number; readonly body?: string }
  | { readonly kind: 'html' }
  | { readonly kind: 'oversized'; readonly bytes: number }
  | { readonly kind: 'slow'; readonly delayMs: number; readonly body: unknown }
  | { readonly kind: 'hang' };

export interface LocalDashboard {
  readonly url: string;
  /** Requests seen, with their Authorization header. */
  readonly requests: { path: string; authorization?: string }[];
  /** Behaviours to serve, one per request; the last one repeats. */
  serve(...behaviours: DashboardBehaviour[]): void;
  close(): Promise<void>;
}

export async function startDashboard(host = '127.0.0.1'): Promise<LocalDashboard> {
  let queue: DashboardBehaviour[] = [{ kind: 'status', status: 503, body: 'not configured' }];
  const requests: LocalDashboard['requests'] = [];
  const timers = new Set<NodeJS.Timeout>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
    if (req.url !== '/api/status_v3') {
      res.writeHead(404).end('not found');
      return;
    }
    const b = queue.length > 1 ? (queue.shift() as DashboardBehaviour) : queue[0];
    switch (b.kind) {
      case 'json':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(b.body));
        return;
      case 'status':
        res.writeHead(b.status, { 'content-type': 'text/plain' }).end(b.body ?? '');
        return;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Login required</body></html>');
        return;
      case 'oversized': {
        // Chunked, so only the client's running byte count can stop it.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < b.bytes) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
      case 'slow': {
        // Headers and half the body at once, the rest after the delay: a drip, not a refusal.
        const text = JSON.stringify(b.body);
        const half = Math.floor(text.length / 2);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(text.slice(0, half));
        const t = setTimeout(() => {
          timers.delete(t);
          res.end(text.slice(half));
        }, b.delayMs);
        timers.add(t);
        return;
      }
      case 'hang':
        return; // never answers
    }
  };

  const server: Server = createServer(handle);
  await new Promise<void>((ok) => server.listen(0, host, ok));
  const { port } = server.address() as { port: number };
  return {
    url: `http://${host}:${port}`,
    requests,
    serve: (...behaviours) => {
      queue = behaviours.length > 0 ? [...behaviours] : queue;
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
