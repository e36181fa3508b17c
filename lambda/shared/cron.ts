// EventBridge Scheduler cron expressions, `cron(minutes hours day-of-month month day-of-week year)`,
// parsed once and enumerated in UTC: the stack validates them, `gap` lists their firing times.

export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronError';
  }
}

export interface Cron {
  readonly expression: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  /** null when `?` (the other day field decides). */
  readonly daysOfMonth: ReadonlySet<number> | null;
  readonly months: ReadonlySet<number>;
  /** 1 = SUN ... 7 = SAT, as EventBridge numbers them; null when `?`. */
  readonly daysOfWeek: ReadonlySet<number> | null;
  readonly years: ReadonlySet<number> | null;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Day-of-month or day-of-week: where EventBridge also takes L, W and #. */
  readonly day?: boolean;
}

/** EventBridge's last (L, 5L), weekday-nearest (15W, LW) and nth-weekday (3#2) forms. */
const UNSUPPORTED_DAY = /^(L|LW|\d{1,2}W|\d?L|[^#]*#.*)$/i;

const FIELDS: readonly FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, day: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, day: true },
  { name: 'year', min: 1970, max: 2199 },
];

function value(token: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  const n = named >= 0 ? named + 1 : /^\d+$/.test(token) ? Number(token) : NaN;
  if (!Number.isInteger(n) || n < spec.min || n > spec.max) {
    throw new CronError(`${spec.name}: ${JSON.stringify(token)} is not in ${spec.min}-${spec.max}`);
  }
  return n;
}

function parseField(text: string, spec: FieldSpec): Set<number> | null {
  if (text === '?') return null;
  const out = new Set<number>();
  for (const part of text.split(',')) {
    if (spec.day && UNSUPPORTED_DAY.test(part))
      throw new CronError(
        `${spec.name}: ${JSON.stringify(part)} uses L, W or #, which EventBridge accepts but the monitor does not support (list the days instead)`,
      );
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw new CronError(`${spec.name}: bad step in ${JSON.stringify(part)}`);
    let lo: number;
    let hi: number;
    if (range === '*') {
      [lo, hi] = [spec.min, spec.max];
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [lo, hi] = [value(a, spec), value(b, spec)];
      if (lo > hi) throw new CronError(`${spec.name}: range ${JSON.stringify(range)} runs backwards`);
    } else {
      lo = value(range, spec);
      hi = stepText === undefined ? lo : spec.max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expression: string): Cron {
  const m = /^cron\((.*)\)$/.exec(expression.trim());
  if (!m) throw new CronError(`${JSON.stringify(expression)} is not of the form cron(...)`);
  const parts = m[1].trim().split(/\s+/);
  if (parts.length !== 6)
    throw new CronError(`${JSON.stringify(expression)} needs 6 fields, has ${parts.length}`);
  if ((parts[2] === '?') === (parts[4] === '?')) {
    throw new CronError(
      `${JSON.stringify(expression)}: exactly one of day-of-month and day-of-week must be ?`,
    );
  }
  const fields = parts.map((p, i) => (i === 5 && p === '*' ? null : parseField(p, FIELDS[i])));
  if (fields[0] === null || fields[1] === null || fields[3] === null) {
    throw new CronError(`${JSON.stringify(expression)}: only day fields may be ?`);
  }
  return {
    expression: expression.trim(),
    minutes: fields[0],
    hours: fields[1],
    daysOfMonth: fields[2],
    months: fields[3],
    daysOfWeek: fields[4],
    years: fields[5],
  };
}

function dayMatches(cron: Cron, d: Date): boolean {
  if (!cron.months.has(d.getUTCMonth() + 1)) return false;
  if (cron.years && !cron.years.has(d.getUTCFullYear())) return false;
  if (cron.daysOfMonth && !cron.daysOfMonth.has(d.getUTCDate())) return false;
  if (cron.daysOfWeek && !cron.daysOfWeek.has(d.getUTCDay() + 1)) return false;
  return true;
}

/** Every firing time (UTC) in [fromMs, toMs], in order. */
export function firings(cron: Cron, fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  const minutes = [...cron.minutes].sort((a, b) => a - b);
  const hours = [...cron.hours].sort((a, b) => a - b);
  const start = new Date(fromMs);
  for (
    let day = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
    day <= toMs;
    day += 86_400_000
  ) {
    if (!dayMatches(cron, new Date(day))) continue;
    for (const h of hours) {
      for (const min of minutes) {
        const t = day + h * 3_600_000 + min * 60_000;
        if (t >= fromMs && t <= toMs) out.push(t);
      }
    }
  }
  return out;
}
