// When, in a trading day, the post-close proof falls due and the daily digest goes out, computed from
// the schedules themselves (never a copy of their hours), so the stack, the Lambda and the tests agree.
import { sessionOn } from '../detector/market-clock';
import { etDate, etWallToUtc } from '../detector/time';
import type { SessionInfo } from '../detector/types';
import { firings, parseCron } from './cron';
import type { ScheduleDefinition } from './schedules';

const DAY_MS = 86_400_000;

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** Every scheduled firing (UTC ms, sorted) on one ET calendar day. */
export function firingsOnEtDay(date: string, definitions: readonly ScheduleDefinition[]): number[] {
  const from = etWallToUtc(date, 0, 0);
  const to = etWallToUtc(nextDate(date), 0, 0) - 1;
  return definitions.flatMap((d) => firings(parseCron(d.cron), from, to)).sort((a, b) => a - b);
}

/** The instant after which a missing post-close proof is raised (the rule's grace ends). */
export function proofDueAt(session: SessionInfo, postCloseSec: number): number {
  return Date.parse(session.close) + postCloseSec * 1000;
}

/**
 * The first scheduled check that can raise a missing post-close proof (its elapsed time since the
 * close is past the grace), on the session's own ET day; undefined when the schedules end earlier.
 */
export function proofCheckAt(
  session: SessionInfo,
  postCloseSec: number,
  definitions: readonly ScheduleDefinition[],
): number | undefined {
  const due = proofDueAt(session, postCloseSec);
  return firingsOnEtDay(session.date, definitions).find((t) => t > due);
}

/**
 * When the daily digest is due: when the post-close proof is due, or at the day's last scheduled
 * check after the open, whichever comes first. A day whose schedules never fire uses the proof time.
 */
export function digestDueAt(
  session: SessionInfo,
  postCloseSec: number,
  definitions: readonly ScheduleDefinition[],
): number {
  const due = proofDueAt(session, postCloseSec);
  const open = Date.parse(session.open);
  const last = firingsOnEtDay(session.date, definitions)
    .filter((t) => t >= open)
    .pop();
  return last === undefined ? due : Math.min(due, last);
}

/**
 * The session whose digest a check at `nowMs` may send: the latest session (up to two weeks back) whose
 * digest is already due. A digest that failed at the day's last check is thus retried by the next one.
 */
export function digestSessionAt(
  nowMs: number,
  postCloseSec: number,
  definitions: readonly ScheduleDefinition[],
  closures: readonly string[] = [],
): SessionInfo | null {
  let date = etDate(nowMs);
  for (let i = 0; i < 15; i++) {
    const session = sessionOn(date, closures);
    if (session && digestDueAt(session, postCloseSec, definitions) <= nowMs) return session;
    date = new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
  }
  return null;
}

/** The next session after a date (for "the next session's hours"), within three weeks. */
export function nextSessionAfter(date: string, closures: readonly string[] = []): SessionInfo | null {
  let d = nextDate(date);
  for (let i = 0; i < 21; i++) {
    const s = sessionOn(d, closures);
    if (s) return s;
    d = nextDate(d);
  }
  return null;
}
