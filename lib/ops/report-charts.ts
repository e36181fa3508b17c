// The report's time axis and its line charts (plain SVG): one x scale for every chart, the session's
// marks, the silence bands behind every chart, and step lines of the run signals.
import type { SessionInfo } from '../../lambda/detector/types';
import type { Point, SilenceSpan } from './report-data';
import { markup, type Html } from './report-html';
import { COLORS, et, jst } from './report-sections';

export const W = 1100;
export const LEFT = 70;
export const RIGHT = 20;
const LINE_COLORS = ['#1f77b4', '#9467bd', '#d62728', '#8c564b'];
// Series drawn later lie on top: each is narrower and dashed differently, so an equal series drawn
// under it (pending_exits under stuck_exits) still shows around and between its dashes.
const LINE_WIDTHS = [6, 3.5, 1.8, 1.2];
const LINE_DASHES = ['', '', '7 4', '2 3'];

export interface ChartContext {
  readonly session: SessionInfo | null;
  readonly openGraceMinute: number;
}

export interface Axis {
  readonly from: number;
  readonly to: number;
  x(t: number): number;
  /** Silences (deploy windows) shaded behind every chart. */
  readonly shade: readonly SilenceSpan[];
}

/** An SVG that scales to the page (the whole day stays visible on a narrow screen); the caller closes it. */
export const svgOpen = (cls: string, data: Html, h: number, label: string) =>
  markup`<svg class="${cls}" ${data} viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" preserveAspectRatio="xMinYMin meet" role="img" aria-label="${label}">`;

export const fx = (n: number) => n.toFixed(1);

export function axisFor(
  session: SessionInfo | null,
  points: readonly number[],
  shade: readonly SilenceSpan[],
): Axis {
  const anchors = [...points];
  if (session) anchors.push(Date.parse(session.open) - 45 * 60_000, Date.parse(session.close) + 30 * 60_000);
  const from = Math.min(...anchors);
  const to = Math.max(...anchors, from + 3_600_000);
  // Whole ET half-hours at the edges.
  const half = 1_800_000;
  const f = Math.floor(from / half) * half;
  const tt = Math.ceil(to / half) * half;
  return { from: f, to: tt, x: (t) => LEFT + ((t - f) / (tt - f)) * (W - LEFT - RIGHT), shade };
}

function band(axis: Axis, w: SilenceSpan, height: number): Html {
  const x1 = axis.x(Math.max(axis.from, w.start));
  const x2 = axis.x(Math.min(axis.to, w.end));
  const what = w.kind === 'deploy-window' ? 'deploy window' : 'silence';
  const title = `${what} ${w.id} ${et(w.start)}-${et(w.end)} ET by ${w.by}: ${w.reason}; held back up to ${w.held} open event(s)`;
  return markup`<rect class="silence-window silence-${w.kind}" data-silence-id="${w.id}" x="${fx(x1)}" y="0" width="${fx(Math.max(2, x2 - x1))}" height="${height}"><title>${title}</title></rect>`;
}

export function timeGrid(axis: Axis, height: number, ctx: ChartContext): Html {
  const bands = axis.shade
    .filter((w) => Number.isFinite(w.start) && Number.isFinite(w.end))
    .map((w) => band(axis, w, height));
  const grid: Html[] = [];
  for (let t = axis.from; t <= axis.to; t += 3_600_000) {
    const x = fx(axis.x(t));
    grid.push(markup`<line class="grid" x1="${x}" x2="${x}" y1="0" y2="${height}"/>`);
  }
  const marks: Html[] = [];
  if (ctx.session) {
    const open = Date.parse(ctx.session.open);
    const at: [string, number][] = [
      ['open', open],
      ['open grace', open + (ctx.openGraceMinute - 30) * 60_000],
      [ctx.session.early_close ? 'early close' : 'close', Date.parse(ctx.session.close)],
    ];
    for (const [label, t] of at) {
      const x = fx(axis.x(t));
      const cls = `mark mark-${label.replace(' ', '-')}`;
      marks.push(
        markup`<line class="${cls}" x1="${x}" x2="${x}" y1="0" y2="${height}"><title>${label} ${et(t)} ET</title></line>`,
      );
    }
  }
  return markup`${bands}${grid}${marks}`;
}

export function timeLabels(axis: Axis, where: 'top' | 'bottom'): Html {
  const parts: Html[] = [];
  for (let t = axis.from; t <= axis.to; t += 3_600_000) {
    const x = fx(axis.x(t));
    parts.push(
      markup`<text class="tick" x="${x}" y="15" text-anchor="middle">${et(t)}</text><text class="tick jst" x="${x}" y="32" text-anchor="middle">${jst(t)}</text>`,
    );
  }
  parts.push(
    markup`<text class="tick" x="${LEFT - 26}" y="15" text-anchor="end">ET</text><text class="tick jst" x="${LEFT - 26}" y="32" text-anchor="end">JST</text>`,
  );
  return markup`${svgOpen('axis', markup`data-axis="${where}"`, 38, 'time axis in ET and JST')}${parts}</svg>`;
}

export interface Series {
  readonly name: string;
  readonly points: readonly Point[];
}

export function lineChart(
  id: string,
  title: string,
  axis: Axis,
  ctx: ChartContext,
  lines: readonly Series[],
  options: { threshold?: number; extra?: Html } = {},
): Html {
  const H = 150;
  const { threshold } = options;
  const max = Math.max(1, threshold ?? 0, ...lines.flatMap((l) => l.points.map((p) => p.v))) * 1.1;
  const y = (v: number) => fx(H - 10 - (v / max) * (H - 25));
  const body = lines.map((l, i) => {
    if (l.points.length === 0) return markup``;
    // Step lines: a reading holds until the next run.
    const d = l.points
      .map((p, j) => `${j === 0 ? 'M' : 'H'}${fx(axis.x(p.t))}${j === 0 ? ` ${y(p.v)}` : ` V${y(p.v)}`}`)
      .join(' ');
    const dots = l.points.map(
      (p) =>
        markup`<circle cx="${fx(axis.x(p.t))}" cy="${y(p.v)}" r="1.8" fill="${LINE_COLORS[i]}"><title>${l.name} ${p.v} at ${et(p.t)} ET</title></circle>`,
    );
    const dash = LINE_DASHES[i] ? markup` stroke-dasharray="${LINE_DASHES[i]}"` : '';
    return markup`<path class="series" data-series="${l.name}" d="${d}" stroke="${LINE_COLORS[i]}" stroke-width="${LINE_WIDTHS[i]}"${dash}/>${dots}`;
  });
  const thresholdLine =
    threshold === undefined
      ? ''
      : markup`<line class="threshold" x1="${LEFT}" x2="${W - RIGHT}" y1="${y(threshold)}" y2="${y(threshold)}"><title>threshold ${threshold}</title></line>`;
  const legend = lines.map(
    (l, i) =>
      markup`<tspan fill="${LINE_COLORS[i]}">&#9632; ${l.name}</tspan>${i < lines.length - 1 ? '  ' : ''}`,
  );
  // Whole-number ticks only: these are counts and seconds.
  const top = max / 1.1;
  const step = Math.max(1, Math.ceil(top / 2));
  const ticks: number[] = [];
  for (let v = 0; v <= top + 1e-9; v += step) ticks.push(v);
  const yTicks = ticks.map(
    (v) => markup`<text class="ytick" x="${LEFT - 6}" y="${Number(y(v)) + 4}" text-anchor="end">${v}</text>`,
  );
  const svg = svgOpen('chart', markup`data-chart="${id}"`, H, title);
  return markup`<section><h2>${title}</h2>${svg}${timeGrid(axis, H, ctx)}${yTicks}${thresholdLine}${body}<text class="legend" x="${LEFT + 6}" y="14">${legend}</text>${options.extra ?? ''}</svg></section>`;
}

/** Market-data status as a strip under its chart: ok / degraded / down. */
export function statusStrip(axis: Axis, points: readonly Point[]): Html {
  const names = ['ok', 'degraded', 'down'];
  const colors = [COLORS.ok, COLORS.warn, COLORS.critical];
  const rects = points.map((p, i) => {
    const x1 = axis.x(p.t);
    const x2 = i + 1 < points.length ? axis.x(points[i + 1].t) : x1 + 4;
    return markup`<rect class="md-status md-${names[p.v]}" x="${fx(x1)}" y="0" width="${fx(Math.max(2, x2 - x1))}" height="12" fill="${colors[p.v]}"><title>market data ${names[p.v]} at ${et(p.t)} ET</title></rect>`;
  });
  return markup`<g transform="translate(0,138)">${rects}</g>`;
}
