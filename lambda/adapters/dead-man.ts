// A dead-man's switch outside AWS (Healthchecks.io and the services that copy its API): after every
// scheduled run the Lambda pings `<url>/<token>` (`/start` before the run, `/fail` when it failed).
// If Scheduler, Lambda, CloudWatch, the region or the account's billing fail, the pings stop and the
// service outside alerts through its own channels. A ping has a deadline and never fails the check:
// its failure is one warning in the log. No body is sent: nothing about positions leaves AWS.
import type { CheckLogger } from '../ports';
import type { TokenSource } from './secret-token';

export type PingOutcome = 'start' | 'success' | 'fail';

/** One ping's deadline: a slow service outside never holds the run. */
export const DEAD_MAN_PING_TIMEOUT_MS = 2_000;
/** The log line doctor looks for (and nothing else says it). */
export const DEAD_MAN_LOG_MESSAGE = 'dead-man ping';

export interface DeadManProps {
  /** The ping URL without the token, e.g. https://hc-ping.com. */
  readonly url: string;
  /** The check's token (its UUID, or `<ping key>/<slug>`), from Secrets Manager. */
  readonly token: TokenSource;
  readonly log: Pick<CheckLogger, 'info' | 'warn'>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default DEAD_MAN_PING_TIMEOUT_MS */
  readonly timeoutMs?: number;
}

/** Pings for one run; `rid` ties its start to its end (Healthchecks measures the run's duration). */
export type RunPinger = (outcome: PingOutcome) => Promise<void>;

export interface DeadManSwitch {
  /**
   * A pinger for one run.
   * @param runId a UUID for this run
   * @param deadlineMs no ping goes on past this instant (the run's budget)
   */
  forRun(runId: string, deadlineMs: number): RunPinger;
}

const SUFFIX: Record<PingOutcome, string> = { start: '/start', success: '', fail: '/fail' };

/**
 * The dead-man's switch over HTTP.
 * @param props the URL, the token's source, the logger
 */
export function deadManSwitch(props: DeadManProps): DeadManSwitch {
  const doFetch = props.fetch ?? globalThis.fetch;
  const limit = props.timeoutMs ?? DEAD_MAN_PING_TIMEOUT_MS;
  return {
    forRun: (runId, deadlineMs) => async (outcome) => {
      const started = Date.now();
      const timeoutMs = Math.min(limit, deadlineMs - started);
      if (timeoutMs <= 0) {
        props.log.warn(`${DEAD_MAN_LOG_MESSAGE} skipped`, { outcome, reason: 'no time left in the run' });
        return;
      }
      const signal = AbortSignal.timeout(timeoutMs);
      let token: string;
      try {
        token = await Promise.race([
          props.token(),
          new Promise<never>((_, reject) =>
            signal.addEventListener('abort', () => reject(new Error(`no token in ${timeoutMs} ms`))),
          ),
        ]);
      } catch (err) {
        // secret-token's messages never quote the secret.
        props.log.warn(`${DEAD_MAN_LOG_MESSAGE} failed`, {
          outcome,
          reason: `token: ${(err as Error).name}: ${(err as Error).message}`,
        });
        return;
      }
      try {
        const url = `${props.url}/${token}${SUFFIX[outcome]}?rid=${encodeURIComponent(runId)}`;
        const response = await doFetch(url, { method: 'GET', signal, redirect: 'error' });
        await response.body?.cancel();
        const fields = { outcome, status: response.status, ms: Date.now() - started };
        if (response.ok) props.log.info(DEAD_MAN_LOG_MESSAGE, fields);
        else props.log.warn(`${DEAD_MAN_LOG_MESSAGE} refused`, fields);
      } catch (err) {
        // The URL carries the token: log the error's name only, never a message that might quote it.
        const name = (err as Error).name;
        const reason =
          name === 'TimeoutError' || name === 'AbortError' ? `no answer in ${timeoutMs} ms` : name;
        props.log.warn(`${DEAD_MAN_LOG_MESSAGE} failed`, { outcome, reason, ms: Date.now() - started });
      }
    },
  };
}
