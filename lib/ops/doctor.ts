// `doctor`: is the deployed monitor complete and alive? Pure judgement over facts the command gathered
// (read-only calls); each line is PASS / WARN / FAIL with the value seen.
import { formatAge } from './ages';
import { deadManLine, type DeadManFact } from './dead-man-line';
import { firings, parseCron } from '../../lambda/shared/cron';

export type Verdict = 'PASS' | 'WARN' | 'FAIL';

export interface DoctorLine {
  readonly verdict: Verdict;
  readonly check: string;
  readonly seen: string;
}

/** A fact the command could not read: the check fails and says why. */
export interface Unreadable {
  readonly error: string;
}

export interface Subscription {
  readonly protocol: string;
  readonly endpoint: string;
  readonly arn: string;
  /** The audience of the topic it is on, when known. */
  readonly topic?: TopicRef['label'];
  readonly topicArn?: string;
}

/** A topic doctor read, by the audience it serves. */
export interface TopicRef {
  readonly label: 'email' | 'page' | 'chat' | 'health';
  readonly arn: string;
}

/** A subscription the deployment asked for (alertEmails, alertSms), from the deployed template. */
export interface ConfiguredSubscription {
  readonly protocol: string;
  readonly endpoint: string;
  readonly topicArn?: string;
}

export interface DoctorFacts {
  readonly stack: { readonly name: string; readonly status: string } | Unreadable;
  readonly subscriptions: readonly Subscription[] | Unreadable;
  /** What the stack subscribes (absent from facts gathered before doctor compared them). */
  readonly configured?: readonly ConfiguredSubscription[] | Unreadable;
  /** The topics read, the health topic among them when the stack outputs it. */
  readonly topics?: readonly TopicRef[];
  readonly sms: { readonly inSandbox: boolean; readonly verified: readonly string[] } | Unreadable;
  /** Schedule expressions of the deployed stack (from its template). */
  readonly schedules: readonly string[] | Unreadable;
  /** checked_at of the newest schedule:* run since the last window that should have run, if any. */
  readonly lastScheduledRun: { readonly checkedAt: string | null; readonly trigger?: string } | Unreadable;
  readonly alarmsInAlarm: readonly string[] | Unreadable;
  readonly deadLetters: number | Unreadable;
  readonly lastError: { readonly at: string; readonly message: string } | null | Unreadable;
  readonly probe:
    | {
        readonly dashboard: { readonly ok: boolean; readonly detail: string };
        readonly ecs: { readonly ok: boolean; readonly detail: string };
      }
    | Unreadable;
  /** The dead-man's switch's last ping (absent from facts gathered before doctor read it). */
  readonly deadMan?: DeadManFact;
}

/** A scheduled window counts as run when a run arrives within this many minutes (as `gap`). */
export const RUN_GRACE_MINUTES = 8;
const DAY_MS = 86_400_000;
const RESERVED = /(\.|@)(example|test|invalid|localhost)$|@example\.(com|net|org)$/i;

function unreadable(v: unknown): v is Unreadable {
  return typeof v === 'object' && v !== null && 'error' in v;
}

const ago = (ms: number): string => formatAge(ms / 1000);

/** The newest window of any schedule that should have run by now (grace passed), in the last 7 days. */
export function lastDueWindow(schedules: readonly string[], nowMs: number): number | undefined {
  const until = nowMs - RUN_GRACE_MINUTES * 60_000;
  const due = schedules.flatMap((s) => firings(parseCron(s), until - 7 * DAY_MS, until));
  return due.length ? Math.max(...due) : undefined;
}

function stackLine(f: DoctorFacts['stack']): DoctorLine {
  const check = 'stack exists and is complete';
  if (unreadable(f)) return { verdict: 'FAIL', check, seen: f.error };
  const { status } = f;
  if (status === 'CREATE_COMPLETE' || status === 'UPDATE_COMPLETE')
    return { verdict: 'PASS', check, seen: `${f.name} ${status}` };
  // The last update failed and rolled back: the previous version runs, but not what was deployed.
  if (status === 'UPDATE_ROLLBACK_COMPLETE')
    return { verdict: 'WARN', check, seen: `${f.name} ${status} (the last update was rolled back)` };
  return { verdict: 'FAIL', check, seen: `${f.name} ${status}` };
}

/**
 * Confirmed means SNS gave the subscription its ARN. PendingConfirmation is not, nor "Deleted": an
 * unauthenticated unsubscribe (the link in an email) leaves it listed under that word for up to 72 h.
 */
const confirmed = (s: Subscription) => s.arn.startsWith('arn:');
/** Subscribed, even if not yet confirmed (that is subscriptionLines' FAIL): not unsubscribed. */
const subscribed = (s: Subscription) => confirmed(s) || s.arn === 'PendingConfirmation';

function subscriptionLines(f: DoctorFacts['subscriptions']): DoctorLine[] {
  const check = 'alert subscriptions confirmed';
  if (unreadable(f)) return [{ verdict: 'FAIL', check, seen: f.error }];
  const people = f.filter((s) =>
    ['email', 'email-json', 'sms', 'https', 'lambda', 'sqs'].includes(s.protocol),
  );
  if (people.length === 0)
    return [{ verdict: 'FAIL', check, seen: 'no subscription at all: nobody receives alerts' }];
  const lines: DoctorLine[] = people.map((s) => {
    const who = `${s.protocol} ${s.endpoint}`;
    const on = s.topic ? ` (${s.topic} topic)` : '';
    if (s.arn === 'PendingConfirmation')
      return {
        verdict: 'FAIL',
        check,
        seen: `${who} PendingConfirmation (open the confirmation email)${on}`,
      };
    if (!confirmed(s))
      return {
        verdict: 'FAIL',
        check,
        seen: `${who} is ${s.arn === 'Deleted' ? 'unsubscribed (SNS lists it as Deleted)' : `not confirmed (SNS lists it as ${s.arn})`}: it receives nothing${on}`,
      };
    if (s.protocol.startsWith('email') && RESERVED.test(s.endpoint))
      return {
        verdict: 'FAIL',
        check,
        seen: `${who} is a reserved example address: it receives nothing${on}`,
      };
    return { verdict: 'PASS', check, seen: `${who} confirmed${on}` };
  });
  return lines;
}

const PEOPLE = new Set(['email', 'email-json', 'sms']);
const sameEndpoint = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * What the deployment configured (alertEmails, alertSms: the template's subscriptions) against what
 * SNS has: an address that unsubscribed (or was deleted) is gone from SNS while the stack still names
 * it, and nothing else notices. The health topic must reach someone too.
 */
function configuredLines(f: DoctorFacts): DoctorLine[] {
  const check = 'configured destinations subscribed';
  if (f.configured === undefined || unreadable(f.subscriptions)) return [];
  if (unreadable(f.configured)) return [{ verdict: 'FAIL', check, seen: f.configured.error }];
  const actual = f.subscriptions.filter(subscribed);
  const label = (arn?: string) => f.topics?.find((t) => t.arn === arn)?.label ?? 'alert';
  const lines: DoctorLine[] = [];
  const matched = new Set<Subscription>();
  for (const c of f.configured) {
    const found = actual.find(
      (s) =>
        s.protocol === c.protocol &&
        sameEndpoint(s.endpoint, c.endpoint) &&
        (c.topicArn === undefined || s.topicArn === undefined || s.topicArn === c.topicArn),
    );
    if (found) matched.add(found);
    else
      lines.push({
        verdict: 'FAIL',
        check,
        seen: `${c.protocol} ${c.endpoint} is configured on the ${label(c.topicArn)} topic but not subscribed (unsubscribed or deleted): it receives nothing until subscribed again (redeploy, or subscribe it and confirm)`,
      });
  }
  for (const s of actual)
    if (PEOPLE.has(s.protocol) && !matched.has(s) && f.configured.length > 0)
      lines.push({
        verdict: 'WARN',
        check,
        seen: `${s.protocol} ${s.endpoint} on the ${s.topic ?? 'alert'} topic is not in the stack's configuration (alertEmails, alertSms): added by hand`,
      });
  const health = f.topics?.find((t) => t.label === 'health');
  if (health && !actual.some((s) => s.topicArn === health.arn && confirmed(s)))
    lines.push({
      verdict: 'WARN',
      check: 'health topic has a subscriber',
      seen: "none: the monitor's own alarms forwarded outside the alert topics reach nobody (give alertEmails or alertSms)",
    });
  if (lines.every((l) => l.verdict !== 'FAIL') && f.configured.length > 0)
    lines.unshift({
      verdict: 'PASS',
      check,
      seen: `${f.configured.length} of ${f.configured.length} (${[...new Set(f.configured.map((c) => label(c.topicArn)))].join(', ')} topics)`,
    });
  return lines;
}

function smsLines(f: DoctorFacts['sms'], subs: DoctorFacts['subscriptions']): DoctorLine[] {
  const check = 'SMS delivery (sandbox)';
  const phones = unreadable(subs) ? [] : subs.filter((s) => s.protocol === 'sms').map((s) => s.endpoint);
  if (phones.length === 0) return [{ verdict: 'PASS', check, seen: 'no SMS destinations' }];
  if (unreadable(f)) return [{ verdict: 'FAIL', check, seen: f.error }];
  if (!f.inSandbox) return [{ verdict: 'PASS', check, seen: 'account out of the SMS sandbox' }];
  return phones.map((p) =>
    f.verified.includes(p)
      ? {
          verdict: 'WARN',
          check,
          seen: `in the SMS sandbox; ${p} verified (only verified numbers receive SMS)`,
        }
      : { verdict: 'FAIL', check, seen: `in the SMS sandbox; ${p} NOT verified: it receives no SMS` },
  );
}

function runLine(f: DoctorFacts, nowMs: number): DoctorLine {
  const check = 'last scheduled run vs the schedule';
  if (unreadable(f.schedules)) return { verdict: 'FAIL', check, seen: f.schedules.error };
  if (unreadable(f.lastScheduledRun)) return { verdict: 'FAIL', check, seen: f.lastScheduledRun.error };
  const due = lastDueWindow(f.schedules, nowMs);
  if (due === undefined) return { verdict: 'PASS', check, seen: 'no window was due in the last 7 days' };
  const dueText = `${new Date(due).toISOString()} (${ago(nowMs - due)})`;
  const { checkedAt, trigger } = f.lastScheduledRun;
  const at = checkedAt ? Date.parse(checkedAt) : NaN;
  if (Number.isFinite(at) && at >= due)
    return {
      verdict: 'PASS',
      check,
      seen: `${trigger ?? 'schedule'} run at ${checkedAt} (${ago(nowMs - at)}); last window due ${dueText}`,
    };
  return {
    verdict: 'FAIL',
    check,
    seen: `no scheduled run since the window due ${dueText}${checkedAt ? `; newest seen ${checkedAt}` : ''}`,
  };
}

function listLine(check: string, f: readonly string[] | Unreadable, none: string): DoctorLine {
  if (unreadable(f)) return { verdict: 'FAIL', check, seen: f.error };
  return f.length === 0
    ? { verdict: 'PASS', check, seen: none }
    : { verdict: 'FAIL', check, seen: f.join(', ') };
}

export function diagnose(f: DoctorFacts, nowMs: number): DoctorLine[] {
  const lines: DoctorLine[] = [
    stackLine(f.stack),
    ...subscriptionLines(f.subscriptions),
    ...configuredLines(f),
    ...smsLines(f.sms, f.subscriptions),
    runLine(f, nowMs),
    listLine('alarms in ALARM', f.alarmsInAlarm, 'none'),
  ];
  const dlq = 'dead-letter queue depth';
  if (unreadable(f.deadLetters)) lines.push({ verdict: 'FAIL', check: dlq, seen: f.deadLetters.error });
  else
    lines.push({
      verdict: f.deadLetters === 0 ? 'PASS' : 'FAIL',
      check: dlq,
      seen: `${f.deadLetters} message(s)${f.deadLetters ? ': invocations were dropped' : ''}`,
    });
  const err = 'Lambda last error (24 h)';
  if (unreadable(f.lastError)) lines.push({ verdict: 'FAIL', check: err, seen: f.lastError.error });
  else if (f.lastError === null) lines.push({ verdict: 'PASS', check: err, seen: 'none' });
  else
    lines.push({
      verdict: 'WARN',
      check: err,
      seen: `${f.lastError.at} (${ago(nowMs - Date.parse(f.lastError.at))}): ${f.lastError.message.slice(0, 200)}`,
    });
  if (f.deadMan !== undefined) lines.push(deadManLine(f.deadMan, nowMs));
  if (unreadable(f.probe)) {
    lines.push({
      verdict: 'FAIL',
      check: 'Lambda reaches the dashboard and ECS (probe)',
      seen: f.probe.error,
    });
  } else {
    lines.push({
      verdict: f.probe.dashboard.ok ? 'PASS' : 'FAIL',
      check: 'Lambda reaches the dashboard (probe)',
      seen: f.probe.dashboard.detail,
    });
    lines.push({
      verdict: f.probe.ecs.ok ? 'PASS' : 'FAIL',
      check: 'Lambda reaches ECS (probe)',
      seen: f.probe.ecs.detail,
    });
  }
  return lines;
}

export function formatDoctor(lines: readonly DoctorLine[]): string {
  const fails = lines.filter((l) => l.verdict === 'FAIL').length;
  const warns = lines.filter((l) => l.verdict === 'WARN').length;
  return [
    ...lines.map((l) => `${l.verdict.padEnd(4)}  ${l.check}: ${l.seen}`),
    fails ? `DOCTOR: ${fails} FAIL, ${warns} WARN` : `DOCTOR: no FAIL (${warns} WARN)`,
  ].join('\n');
}
