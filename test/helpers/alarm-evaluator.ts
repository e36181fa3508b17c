// A small evaluator of a synthesized CloudWatch alarm against simulated samples: per-period statistics,
// the metric math the stack uses (ids, numbers, + - *, comparisons, IF, FILL, ABS), M-of-N with the four missing-data
// treatments, alarm actions on state transitions, and mute rules (a muted transition notifies
// nobody; an alarm still in the muted state when the mute ends runs its action then, as the
// CloudWatch User Guide's "How alarm mute rules work" describes). Evaluation happens at each
// period's end with no ingestion delay.

export interface Sample {
  readonly namespace: string;
  readonly name: string;
  readonly dims: Readonly<Record<string, string>>;
  readonly t: number; // epoch ms
  readonly value: number;
  /** When CloudWatch has the datapoint (a late metric, e.g. SQS waking an idle queue); default `t`. */
  readonly arrives?: number;
}

export interface Notification {
  readonly t: number;
  readonly state: 'ALARM' | 'OK';
}

type State = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface MetricStat {
  readonly namespace: string;
  readonly name: string;
  readonly dims: Record<string, string>;
  readonly periodMs: number;
  readonly stat: string;
}

function statOf(p: Props): MetricStat {
  const dims: Record<string, string> = {};
  for (const d of p.Dimensions ?? []) dims[d.Name] = d.Value;
  return { namespace: p.Namespace, name: p.MetricName, dims, periodMs: p.Period * 1000, stat: p.Statistic };
}

/** Samples sorted by time, once per array: a week of one-minute runs is evaluated period by period. */
const byTime = new WeakMap<readonly Sample[], readonly Sample[]>();

/** The samples with start <= t < end, by binary search over the sorted copy. */
function within(samples: readonly Sample[], start: number, end: number): readonly Sample[] {
  let sorted = byTime.get(samples);
  if (!sorted) {
    sorted = [...samples].sort((a, b) => a.t - b.t);
    byTime.set(samples, sorted);
  }
  const first = (t: number) => {
    let [lo, hi] = [0, sorted.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid].t < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return sorted.slice(first(start), first(end));
}

function aggregate(samples: readonly Sample[], m: MetricStat, start: number): number | undefined {
  const values = within(samples, start, start + m.periodMs)
    .filter(
      (s) =>
        s.namespace === m.namespace &&
        s.name === m.name &&
        Object.keys(m.dims).length === Object.keys(s.dims).length &&
        Object.entries(m.dims).every(([k, v]) => s.dims[k] === v),
    )
    .map((s) => s.value);
  if (values.length === 0) return undefined;
  if (m.stat === 'Sum') return values.reduce((a, b) => a + b, 0);
  if (m.stat === 'Maximum') return Math.max(...values);
  throw new Error(`statistic ${m.stat} not simulated`);
}

/** Evaluates `expr` with ids bound to possibly-missing values; undefined = no datapoint. */
function evaluate(expr: string, vars: Record<string, number | undefined>): number | undefined {
  const tokens = expr.match(/[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|>=|<=|==|!=|[-+*(),<>]/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const expect = (t: string) => {
    if (next() !== t) throw new Error(`expected ${t} in ${expr}`);
  };
  const atom = (): number | undefined => {
    const t = next();
    if (t === '(') {
      const v = comparison();
      expect(')');
      return v;
    }
    if (/^\d/.test(t)) return Number(t);
    if (t === '-') {
      const v = atom();
      return v === undefined ? undefined : -v;
    }
    if (t === 'IF') {
      expect('(');
      const cond = comparison();
      expect(',');
      const a = comparison();
      expect(',');
      const b = comparison();
      expect(')');
      return cond === undefined ? undefined : cond !== 0 ? a : b;
    }
    if (t === 'FILL' || t === 'ABS') {
      expect('(');
      const a = comparison();
      let fill: number | undefined;
      if (t === 'FILL') {
        expect(',');
        fill = comparison();
      }
      expect(')');
      if (t === 'FILL') return a ?? fill;
      return a === undefined ? undefined : Math.abs(a);
    }
    if (!(t in vars)) throw new Error(`unknown id ${t} in ${expr}`);
    return vars[t];
  };
  const product = (): number | undefined => {
    let v = atom();
    while (peek() === '*') {
      next();
      const r = atom();
      v = v === undefined || r === undefined ? undefined : v * r;
    }
    return v;
  };
  const sum = (): number | undefined => {
    let v = product();
    while (peek() === '+' || peek() === '-') {
      const op = next();
      const r = product();
      v = v === undefined || r === undefined ? undefined : op === '+' ? v + r : v - r;
    }
    return v;
  };
  const COMPARE: Record<string, (a: number, b: number) => boolean> = {
    '>': (a, b) => a > b,
    '<': (a, b) => a < b,
    '>=': (a, b) => a >= b,
    '<=': (a, b) => a <= b,
    '==': (a, b) => a === b,
    '!=': (a, b) => a !== b,
  };
  // A comparison is 1 or 0, as in CloudWatch metric math.
  function comparison(): number | undefined {
    const v = sum();
    const op = peek();
    if (op === undefined || !(op in COMPARE)) return v;
    next();
    const r = sum();
    return v === undefined || r === undefined ? undefined : COMPARE[op](v, r) ? 1 : 0;
  }
  const v = comparison();
  if (i !== tokens.length) throw new Error(`cannot parse ${expr}`);
  return v;
}

/** The alarm's datapoint for the period starting at `start`, and the period length. */
function datapoint(alarm: Props, samples: readonly Sample[], start: number): number | undefined {
  if (alarm.MetricName) return aggregate(samples, statOf({ ...alarm }), start);
  const vars: Record<string, number | undefined> = {};
  let expression: string | undefined;
  for (const q of alarm.Metrics) {
    if (q.Expression) expression = q.Expression;
    else
      vars[q.Id] = aggregate(
        samples,
        statOf({ ...q.MetricStat.Metric, ...q.MetricStat, Statistic: q.MetricStat.Stat }),
        start,
      );
  }
  if (expression === undefined) throw new Error('no expression');
  return evaluate(expression, vars);
}

export function periodMsOf(alarm: Props): number {
  if (alarm.Period) return alarm.Period * 1000;
  // An expression's period is its metrics' (the stack gives them all the same one).
  const periods = alarm.Metrics.filter((q: Props) => q.MetricStat).map((q: Props) => q.MetricStat.Period);
  return Math.max(...periods) * 1000;
}

function breaches(alarm: Props, v: number): boolean {
  switch (alarm.ComparisonOperator) {
    case 'LessThanThreshold':
      return v < alarm.Threshold;
    case 'GreaterThanThreshold':
      return v > alarm.Threshold;
    case 'GreaterThanOrEqualToThreshold':
      return v >= alarm.Threshold;
    default:
      throw new Error(`operator ${alarm.ComparisonOperator} not simulated`);
  }
}

/** A weekly mute: five-field cron `m h * * DAYS` (as the stack writes them) and an ISO duration. */
export interface Mute {
  readonly expression: string;
  readonly duration: string;
}

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export function muted(mutes: readonly Mute[], t: number): boolean {
  for (const mute of mutes) {
    const [m, h, dom, mon, dow] = /^cron\((.*)\)$/.exec(mute.expression)![1].split(' ');
    if (dom !== '*' || mon !== '*') throw new Error(`mute ${mute.expression} not simulated`);
    const d = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(mute.duration)!;
    const lengthMs = ((Number(d[1] ?? 0) * 24 + Number(d[2] ?? 0)) * 60 + Number(d[3] ?? 0)) * 60_000;
    const days = dow === '*' ? DAYS : dow.split(',');
    // A mute that covers t started within lengthMs before it, on one of its days, at h:m.
    for (let back = 0; back <= 16; back++) {
      const day = new Date(t - back * 86_400_000);
      if (!days.includes(DAYS[day.getUTCDay()])) continue;
      for (const hour of h.split(',').map(Number)) {
        const start = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour, Number(m));
        if (t >= start && t < start + lengthMs) return true;
      }
    }
  }
  return false;
}

/**
 * Runs the alarm from `from` to `to` (period-aligned) and returns the notifications it sends:
 * ALARM (to AlarmActions) and OK (to OKActions) transitions, held back while muted.
 */
export function simulate(
  alarm: Props,
  samples: readonly Sample[],
  from: number,
  to: number,
  mutes: readonly Mute[] = [],
): Notification[] {
  const period = periodMsOf(alarm);
  const m = alarm.EvaluationPeriods;
  const n = alarm.DatapointsToAlarm ?? m;
  const treat = alarm.TreatMissingData ?? 'missing';
  let state: State = 'INSUFFICIENT_DATA';
  let pending: State | undefined; // a transition whose action a mute held back
  const out: Notification[] = [];
  const notify = (s: State, t: number) => {
    const actions = s === 'ALARM' ? alarm.AlarmActions : s === 'OK' ? alarm.OKActions : undefined;
    if (actions?.length) out.push({ t, state: s as 'ALARM' | 'OK' });
  };
  const late = samples.some((x) => x.arrives !== undefined);
  for (let end = from + period; end <= to; end += period) {
    // What CloudWatch has at this evaluation: a late datapoint counts only once it has arrived.
    const known = late ? samples.filter((x) => (x.arrives ?? x.t) <= end) : samples;
    const points: (number | undefined)[] = [];
    for (let k = m; k >= 1; k--) points.push(datapoint(alarm, known, end - k * period));
    const present = points.filter((p): p is number => p !== undefined);
    let bad = present.filter((p) => breaches(alarm, p)).length;
    if (treat === 'breaching') bad += m - present.length;
    let next: State;
    if (bad >= n) next = 'ALARM';
    else if (present.length === 0 && treat === 'missing') next = 'INSUFFICIENT_DATA';
    else if (present.length === 0 && treat === 'ignore') next = state;
    else next = 'OK';
    const isMuted = muted(mutes, end);
    if (next !== state) {
      state = next;
      if (isMuted) pending = state;
      else notify(state, end);
    } else if (!isMuted && pending === state) {
      notify(state, end); // the mute ended with the alarm still in the state it was muted in
    }
    if (!isMuted) pending = undefined;
  }
  return out;
}
