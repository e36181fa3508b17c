// doctor's line about the dead-man's switch outside AWS: the last ping the Lambda logged (it logs
// every ping, adapters/dead-man.ts), judged. Pure, like the rest of doctor's judgement.
import { formatAge } from './ages';

/** The newest `dead-man ping...` log line of the last 24 hours, as the Lambda wrote it. */
export interface DeadManPing {
  readonly at: string;
  /** `dead-man ping`, or `... failed` / `... refused` / `... skipped`. */
  readonly message: string;
  readonly outcome?: string;
  readonly status?: number;
  readonly reason?: string;
}

/** What doctor read: the last ping, none in 24 h, no switch deployed, or why it could not read. */
export type DeadManFact = DeadManPing | null | 'not configured' | { readonly error: string };

/**
 * Parses one log event's message (Powertools' JSON line) into a ping.
 * @param at the event's time
 * @param text the log line
 */
export function parseDeadManPing(at: string, text: string): DeadManPing {
  try {
    const line = JSON.parse(text) as Record<string, unknown>;
    return {
      at,
      message: String(line.message ?? 'dead-man ping'),
      ...(typeof line.outcome === 'string' ? { outcome: line.outcome } : {}),
      ...(typeof line.status === 'number' ? { status: line.status } : {}),
      ...(typeof line.reason === 'string' ? { reason: line.reason } : {}),
    };
  } catch {
    return { at, message: text.trim().slice(0, 200) };
  }
}

/**
 * The doctor line: PASS for a ping answered within 24 h (or no switch: it is optional), WARN for a
 * failed or missing ping, FAIL when the log could not be read.
 * @param fact what doctor read
 * @param nowMs now
 */
export function deadManLine(
  fact: DeadManFact,
  nowMs: number,
): {
  verdict: 'PASS' | 'WARN' | 'FAIL';
  check: string;
  seen: string;
} {
  const check = "dead-man's switch outside AWS (last ping, 24 h)";
  // Optional: its absence is said, not counted against the deployment.
  if (fact === 'not configured')
    return {
      verdict: 'PASS',
      check,
      seen: 'not configured (optional, deadManPingUrl): an outage of this region or account would be silent',
    };
  if (fact === null)
    return {
      verdict: 'WARN',
      check,
      seen: 'no ping logged in 24 h (no scheduled run, or the switch is off)',
    };
  if ('error' in fact) return { verdict: 'FAIL', check, seen: fact.error };
  const age = formatAge((nowMs - Date.parse(fact.at)) / 1000);
  const detail = [fact.outcome, fact.status !== undefined ? `HTTP ${fact.status}` : undefined, fact.reason]
    .filter(Boolean)
    .join(', ');
  const ok = fact.message === 'dead-man ping';
  return {
    verdict: ok ? 'PASS' : 'WARN',
    check,
    seen: `${fact.at} (${age}): ${fact.message}${detail ? ` (${detail})` : ''}`,
  };
}
