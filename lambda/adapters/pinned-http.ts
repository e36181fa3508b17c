// A GET over plain http to one address already proven private, with the URL's own Host header. fetch
// would resolve the name again when it connects, and a name may answer differently the second time
// (DNS rebinding: private for the check, public for the request that carries the token). Hand-written
// over node:http because fetch cannot be told which address to connect to (no dispatcher without
// adding undici) nor carry another Host header (a forbidden header there).
import { request } from 'node:http';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';

/** Fails as fetch fails (a TypeError whose cause says why), so callers describe both alike. */
const failed = (cause: unknown) => new TypeError('fetch failed', { cause });

/** A fetch for plain-http URLs that always connects to `address`, whatever the URL's host resolves to. */
export function pinnedFetch(address: string): typeof fetch {
  const pinned = (input: string | URL, init: RequestInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const url = new URL(input);
      if (url.protocol !== 'http:') {
        reject(failed(new Error(`pinned to ${address} for plain http only, not ${url.protocol}`)));
        return;
      }
      const req = request(
        {
          host: address,
          family: isIP(address),
          port: url.port || 80,
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers: { ...(init.headers as Record<string, string> | undefined), host: url.host },
          signal: init.signal ?? undefined,
          // One connection per request: no kept-alive socket outlives the check (or holds the CLI open).
          agent: false,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          // As fetch's redirect: 'error': a token never follows a Location anywhere.
          if (status >= 300 && status < 400) {
            res.resume();
            reject(failed(new Error('unexpected redirect')));
            return;
          }
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            for (const v of [value ?? []].flat()) headers.append(name, v);
          const body = status === 204 ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
          try {
            resolve(new Response(body, { status, headers }));
          } catch (err) {
            res.destroy();
            reject(failed(err));
          }
        },
      );
      req.on('error', (err) => reject(failed(err)));
      req.end();
    });
  return pinned as unknown as typeof fetch;
}
