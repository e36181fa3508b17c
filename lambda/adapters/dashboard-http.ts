// DashboardSource over HTTP: GET <base>/api/status_v3 with a timeout, one retry on connection errors
// and 5xx, a size cap and an optional bearer token. Every failure is a short reason, never a throw.
import { DuplicateKeyError, parseJsonInput } from '../shared/json-input';
import type { DashboardResult, DashboardSource } from '../ports';
import { pinnedFetch } from './pinned-http';
import { tokenDestination, type ResolveHost } from './token-transport';

export interface HttpDashboardProps {
  readonly baseUrl: string;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  /**
   * Resolves the bearer token, or undefined for none. Rejections become a dashboard error. Asked with
   * `refresh` once per fetch when the dashboard refuses the token (401/403): it may have been rotated.
   */
  readonly token?: (options?: { readonly refresh?: boolean }) => Promise<string | undefined>;
  readonly fetchImpl?: typeof fetch;
  /** Resolves the host of a plain-http URL, to prove it private before a token goes there. */
  readonly resolveHost?: ResolveHost;
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;

class Failure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function statusUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/status_v3`;
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw new Failure(`response too large (${declared} bytes > ${maxBytes})`, false);
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Failure(`response too large (over ${maxBytes} bytes)`, false);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describe(err: unknown, timeoutMs: number, signal: AbortSignal): Failure {
  if (err instanceof Failure) return err;
  if (signal.aborted) return new Failure(`timeout after ${timeoutMs} ms`, false);
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (err as Error).message;
  return new Failure(`connection failed: ${detail}`, true);
}

/**
 * A failure's words never carry the token: an HTTP client may quote the header it refused, and the
 * dashboard error reaches the run record, the log, email and chat.
 */
function withoutToken(message: string, token: string | undefined): string {
  return token ? message.split(token).join('[the token]') : message;
}

export class HttpDashboard implements DashboardSource {
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly props: HttpDashboardProps) {
    this.url = statusUrl(props.baseUrl);
    this.timeoutMs = props.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBytes = props.maxBytes ?? DEFAULT_MAX_BYTES;
    this.fetchImpl = props.fetchImpl ?? fetch;
  }

  async fetch(): Promise<DashboardResult> {
    let token: string | undefined;
    let fetchImpl = this.fetchImpl;
    if (this.props.token) {
      // Checked before the secret is even read: a token never goes over plain http to a public address,
      // and the request connects to the very address checked (a second lookup may answer otherwise).
      const checked = await tokenDestination(this.url, this.props.resolveHost, this.timeoutMs);
      if ('problem' in checked) return { error: checked.problem };
      if (checked.address !== undefined && !this.props.fetchImpl) fetchImpl = pinnedFetch(checked.address);
    }
    try {
      token = this.props.token ? await this.props.token() : undefined;
    } catch (err) {
      return { error: `dashboard token unavailable: ${(err as Error).message}` };
    }
    let last: Failure | undefined;
    let refreshed = false;
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        return { payload: await this.attempt(token, fetchImpl) };
      } catch (err) {
        last = err as Failure;
        const refused = last.status === 401 || last.status === 403;
        if (refused && this.props.token && !refreshed) {
          // The secret may have been rotated since it was cached: read it again, once per run.
          refreshed = true;
          try {
            token = await this.props.token({ refresh: true });
          } catch (tokenErr) {
            return { error: `dashboard token unavailable: ${(tokenErr as Error).message}` };
          }
          attempt--;
          continue;
        }
        if (!last.retryable) break;
      }
    }
    return { error: withoutToken(last?.message ?? 'unknown failure', token) };
  }

  private async attempt(token: string | undefined, fetchImpl: typeof fetch): Promise<unknown> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const response = await fetchImpl(this.url, {
        headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        signal: controller.signal,
        redirect: 'error',
      });
      if (response.status >= 500) {
        await response.body?.cancel().catch(() => undefined);
        throw new Failure(`HTTP ${response.status}`, true);
      }
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        throw new Failure(`HTTP ${response.status}`, false, response.status);
      }
      const text = await readCapped(response, this.maxBytes);
      try {
        // RFC 8259 lets a parser ignore a leading byte order mark; some servers send one. A duplicate
        // key makes the payload ambiguous (last-wins would hide `"stuck_exits": 1` behind a 0): like a
        // body that is not JSON, it is no payload at all, told as the dashboard's failure.
        return parseJsonInput(text);
      } catch (err) {
        if (err instanceof DuplicateKeyError) throw new Failure(`ambiguous JSON: ${err.message}`, false);
        const type = response.headers.get('content-type') ?? 'no content-type';
        throw new Failure(`not JSON (${type}, ${text.length} bytes)`, false);
      }
    } catch (err) {
      throw describe(err, this.timeoutMs, controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }
}
