// The report's two timelines: every event episode on its signature's row (labelled by a collision pass),
// and each run's decision with the schedule windows it covered or missed.
import type { GapReport } from './gap';
import { fx, svgOpen, timeGrid, type Axis, type ChartContext } from './report-charts';
import { formatEt } from '../../lambda/detector/time';
import { endOf, type Episode, type RunMark } from './report-data';
import { markup, type Html } from './report-html';
import { placeLabel } from './report-labels';
import { COLORS, et } from './report-sections';

const ROW = 22;
const LABEL_FONT = 16;
const RING = 6;
/** Where the runs chart names its rows (right-aligned, left of the plot). */
const LEFT_LABEL = 64;

function marker(axis: Axis, e: Episode, yMid: number): Html {
  // An episode open since before the axis (since an earlier day) starts at the axis' edge, without
  // its first-seen dot: nothing is drawn outside the chart.
  const before = e.firstSeen < axis.from;
  const x1 = axis.x(Math.max(e.firstSeen, axis.from));
  const x2 = axis.x(Math.max(endOf(e), axis.from));
  const color = COLORS[e.severity];
  const end =
    e.resolvedAt !== undefined
      ? `resolved ${et(e.resolvedAt)} ET`
      : e.replacedAt !== undefined
        ? `seen anew at ${et(e.replacedAt)} ET (a new episode), no resolution recorded`
        : `still open at ${et(e.lastSeen)} ET`;
  // Held back and never told: a hollow ring (recorded, not told). Told at some run, it is an alert.
  const hollow = e.silencedBy !== undefined && !e.alerted;
  const ring = e.escalate
    ? markup` stroke="#000" stroke-width="2"`
    : hollow
      ? markup` stroke="${color}" stroke-width="2" stroke-dasharray="3 2"`
      : '';
  const held = e.heldBy.join(', ');
  const silenced = hollow
    ? `\nsilenced by ${held}: recorded, not told`
    : held
      ? `\nheld back by ${held} at some runs, told at others`
      : '';
  const since = before ? `${formatEt(e.firstSeen).slice(0, 16).replace('T', ' ')}` : et(e.firstSeen);
  const title = `${e.severity.toUpperCase()}${e.escalate ? ' ESCALATE' : ''} ${e.code}: ${e.summary}\nfirst seen ${since} ET, ${end}${silenced}`;
  const endBar =
    e.resolvedAt !== undefined
      ? markup`<line x1="${fx(x2)}" x2="${fx(x2)}" y1="${yMid - 7}" y2="${yMid + 7}" stroke="${color}" stroke-width="2"/>`
      : '';
  const by = e.silencedBy ? markup` data-silenced-by="${e.silencedBy}"` : '';
  const dot = before
    ? ''
    : markup`<circle cx="${fx(x1)}" cy="${yMid}" r="${RING}" fill="${hollow ? '#fff' : color}"${ring}/>`;
  return markup`<g class="event-marker${hollow ? ' silenced' : ''}" data-code="${e.code}" data-severity="${e.severity}"${by}><rect x="${fx(x1)}" y="${yMid - 5}" width="${fx(Math.max(2, x2 - x1))}" height="10" rx="3" fill="${color}" opacity="0.35"/>${dot}${endBar}<title>${title}</title></g>`;
}

/** The row's name, where the collision pass finds room for it (none: the events table names the row). */
function rowLabel(axis: Axis, episodes: readonly Episode[], signature: string, y: number): Html {
  const mine = episodes.filter((e) => e.signature === signature);
  const marks = mine.map((e) => {
    const x1 = axis.x(Math.max(e.firstSeen, axis.from));
    return { x1: x1 - RING, x2: Math.max(axis.x(Math.max(endOf(e), axis.from)), x1 + RING) };
  });
  const code = mine[0].code;
  const placed = placeLabel({ text: code, marks }, { left: 4, right: axis.x(axis.to), fontSize: LABEL_FONT });
  if (!placed) return markup``;
  const full = placed.text !== code ? markup`<title>${code}</title>` : '';
  return markup`<text class="row-label" data-row="${signature}" x="${fx(placed.x)}" y="${y + 5}" text-anchor="${placed.anchor}">${placed.text}${full}</text>`;
}

export function eventsChart(axis: Axis, ctx: ChartContext, episodes: readonly Episode[]): Html {
  const rows = [...new Set(episodes.map((e) => e.signature))];
  const H = Math.max(40, rows.length * ROW + 16);
  const yOf = (row: number) => 14 + row * ROW;
  const markers = episodes.map((e) => marker(axis, e, yOf(rows.indexOf(e.signature))));
  const labels = rows.map((signature, row) => rowLabel(axis, episodes, signature, yOf(row)));
  const svg = svgOpen('chart', markup`data-chart="events"`, H, 'events');
  return markup`<section><h2>Events (${episodes.length})</h2>${svg}${timeGrid(axis, H, ctx)}${markers}${labels}</svg></section>`;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const mm = (m: number) => `:${String(m).padStart(2, '0')}`;

/** "every 10 min at :12 :22 :32 :42 :52, no slot at :02" for the minutes of the hour a schedule fires at. */
function rhythm(name: string, mins: readonly number[]): string {
  if (mins.length === 60) return `${name} every minute`;
  // The step is the gcd of the gaps between slots, the hour's wrap included; a lattice point without a
  // slot is where a row has no tick although its neighbours do.
  const gaps = mins.map((m, i) => (i === 0 ? m + 60 - mins[mins.length - 1] : m - mins[i - 1]));
  const step = gaps.reduce((g, d) => gcd(g, d), 60);
  const lattice = Array.from({ length: 60 / step }, (_, k) => (mins[0] + k * step) % 60).sort(
    (a, b) => a - b,
  );
  const none = lattice.filter((m) => !mins.includes(m));
  const at = mins.length > 6 ? `${mm(mins[0])} to ${mm(mins[mins.length - 1])}` : mins.map(mm).join(' ');
  return `${name} every ${step} min at ${at}${none.length > 0 ? `, no slot at ${none.map(mm).join(' ')}` : ''}`;
}

/**
 * The minutes each schedule has slots at, from the day's windows, so a row without a tick where its
 * schedule has no slot (the fallback at :02) reads as that, not as a missed window.
 */
export function slotText(gap: GapReport): string | null {
  const all = [...gap.covered_windows, ...gap.missing_windows, ...gap.pending_windows];
  const parts = gap.schedules.flatMap(({ name }) => {
    const minutes = all.filter((w) => w.schedule === name).map((w) => new Date(w.at).getUTCMinutes());
    const mins = [...new Set(minutes)].sort((a, b) => a - b);
    return mins.length === 0 ? [] : [rhythm(name, mins)];
  });
  if (parts.length === 0) return null;
  return `schedule slots: ${parts.join('; ')} (no tick where a schedule has no slot; a miss is a tall red tick)`;
}

export function runsAndCoverage(
  axis: Axis,
  ctx: ChartContext,
  runs: readonly RunMark[],
  gap: GapReport,
): Html {
  const ticks = runs.map(
    (r) =>
      markup`<rect class="run-tick run-${r.decision}" x="${fx(axis.x(r.t) - 1.5)}" y="4" width="3" height="16" fill="${COLORS[r.decision]}"><title>${et(r.t)} ET ${r.trigger}: ${r.decision}${r.notified ? ', notified' : ''}</title></rect>`,
  );
  const windows = [
    ...gap.covered_windows.map((w) => ({ ...w, state: 'covered' })),
    ...gap.missing_windows.map((w) => ({ ...w, state: 'missing' })),
    ...gap.pending_windows.map((w) => ({ ...w, state: 'pending' })),
  ].map((w) => {
    const t = Date.parse(w.at);
    const color =
      w.state === 'missing' ? COLORS.critical : w.state === 'covered' ? COLORS.ok : COLORS.observe;
    const h = w.state === 'missing' ? 18 : 10;
    return markup`<rect class="window window-${w.state}" x="${fx(axis.x(t) - 1.5)}" y="${w.schedule === 'primary' ? 30 : 52}" width="3" height="${h}" fill="${color}"><title>${w.schedule} window ${et(t)} ET: ${w.state}</title></rect>`;
  });
  const H = 80;
  const slots = slotText(gap);
  const svg = svgOpen('chart', markup`data-chart="runs"`, H, 'runs and schedule coverage');
  const rowNames = markup`<text class="ytick" x="${LEFT_LABEL}" y="16" text-anchor="end">runs</text><text class="ytick" x="${LEFT_LABEL}" y="40" text-anchor="end">primary</text><text class="ytick" x="${LEFT_LABEL}" y="62" text-anchor="end">fallback</text>`;
  return markup`<section><h2>Runs by decision, and schedule coverage (primary / fallback)</h2>${slots ? markup`<div class="slots">${slots}</div>` : ''}${svg}${timeGrid(axis, H, ctx)}${rowNames}${ticks}${windows}</svg></section>`;
}
