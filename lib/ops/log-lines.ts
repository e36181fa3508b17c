// Reads the Lambda's log as operators export it: the JSON of `aws logs filter-log-events` (one document
// with "events"), JSON lines of {timestamp, message}, or raw log lines (the handler's JSON line, possibly
// after a timestamp / request id prefix as `aws logs tail` or the console prints it).
import { DuplicateKeyError, parseJsonInput } from '../../lambda/shared/json-input';
import type { LogEvidence } from './prove-deploy';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The JSON value, or undefined for text that is not JSON; a duplicate key throws (ambiguous evidence). */
function tryJson(text: string): unknown {
  try {
    return parseJsonInput(text);
  } catch (err) {
    if (err instanceof DuplicateKeyError) throw err;
    return undefined;
  }
}

function isoOf(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v).toISOString();
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return v;
  return undefined;
}

/** The handler's structured line inside a message: the JSON object it starts with, or after a prefix. */
function fieldsOf(message: string): Json | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  const parsed = tryJson(message.slice(start).trim());
  return isObject(parsed) ? parsed : undefined;
}

/** One log event from its CloudWatch timestamp (ms or ISO) and message. */
export function logEvidence(timestamp: unknown, message: string): LogEvidence | undefined {
  const fields = fieldsOf(message);
  const ts = isoOf(timestamp) ?? isoOf(fields?.timestamp);
  if (ts === undefined) return undefined;
  return { timestamp: ts, message, ...(fields ? { fields } : {}) };
}

function fromObject(o: Json): LogEvidence | undefined {
  if (typeof o.message === 'string' && 'timestamp' in o && !('level' in o))
    return logEvidence(o.timestamp, o.message);
  // A raw handler line (Powertools JSON): the object itself is the message.
  return logEvidence(o.timestamp, JSON.stringify(o));
}

export function parseLogText(text: string): LogEvidence[] {
  const body = text.replace(/^\uFEFF/, '');
  const whole = tryJson(body);
  if (isObject(whole) && Array.isArray(whole.events))
    return whole.events.filter(isObject).flatMap((e) => fromObject(e) ?? []);
  if (Array.isArray(whole)) return whole.filter(isObject).flatMap((e) => fromObject(e) ?? []);
  const out: LogEvidence[] = [];
  for (const line of body.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const parsed = tryJson(trimmed);
    if (isObject(parsed)) {
      const e = fromObject(parsed);
      if (e) out.push(e);
      continue;
    }
    // "2026-06-01T14:07:31.123Z <stream or request id> ... {json}": the leading time, then the JSON.
    const lead = /^(\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2}))\s/.exec(trimmed)?.[1];
    const e = logEvidence(lead, trimmed);
    if (e) out.push(e);
  }
  return out;
}
