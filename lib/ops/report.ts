// The session report: one self-contained HTML file of plain SVG (no scripts, no external requests).
import { etOffsetMinutes } from '../../lambda/detector/time';
import type { RunRecord, SessionInfo } from '../../lambda/detector/types';
import type { GapReport } from './gap';
import type { Silence } from '../../lambda/detector/silences';
import { reportData, type Episode, type Point, type SilenceSpan } from './report-data';
import {
  COLORS,
  esc,
  et,
  generatedLine,
  kpiSection,
  infoTable,
  etJst,
  jst,
  legend,
  notificationsTable,
  type Generated,
} from './report-sections';
import type { KpiRow } from '../../lambda/digest/kpi';

export interface ReportInput {
  readonly date: string;
  readonly session: SessionInfo | null;
  readonly openGraceMinute: number;
  readonly records: readonly RunRecord[];
  readonly gap: GapReport;
  /** When the page was made and from which records; shown at the top. */
  readonly generated?: Generated;
  /** The stored silences (they say when one was expired by hand); else the runs' own copies. */
  readonly silences?: readonly Silence[];
  /** This session and the ones before it, newest last: the KPI trend. */
  readonly kpis?: readonly KpiRow[];
}

const W = 1100;
const LEFT = 70;
const RIGHT = 20;
const LINE_COLORS = ['#1f77b4', '#9467bd', '#d62728', '#8c564b'];
// Series drawn later lie on top: each is narrower and dashed differently, so an equal series drawn
// under it (pending_exits under stuck_exits) still shows around and between its dashes.
const LINE_WIDTHS = [6, 3.5, 1.8, 1.2];
const LINE_DASHES = ['', '', '7 4', '2 3'];

/** An SVG that scales to the page (the whole day stays visible on a narrow screen). */
const svgOpen = (cls: string, attrs: string, h: number) =>
  `<svg class="${cls}" ${attrs} viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" preserveAspectRatio="xMinYMin meet"`;

interface Axis {
  readonly from: number;
  readonly to: number;
  x(t: number): number;
  /** Silences (deploy windows) shaded behind every chart. */
  readonly shade: readonly SilenceSpan[];
}

function axisFor(input: ReportInput, points: number[], shade: readonly SilenceSpan[]): Axis {
  const anchors = [...points];
  if (input.session)
    anchors.push(Date.parse(input.session.open) - 45 * 60_000, Date.parse(input.session.close) + 30 * 60_000);
  const from = Math.min(...anchors);
  const to = Math.max(...anchors, from + 3_600_000);
  // Whole ET half-hours at the edges.
  const half = 1_800_000;
  const f = Math.floor(from / half) * half;
  const tt = Math.ceil(to / half) * half;
  return { from: f, to: tt, x: (t) => LEFT + ((t - f) / (tt - f)) * (W - LEFT - RIGHT), shade };
}

function timeGrid(axis: Axis, height: number, input: ReportInput): string {
  const drawable = axis.shade.filter((w) => Number.isFinite(w.start) && Number.isFinite(w.end));
  const parts: string[] = drawable.map((w) => {
    const x1 = axis.x(Math.max(axis.from, w.start));
    const x2 = axis.x(Math.min(axis.to, w.end));
    const what = w.kind === 'deploy-window' ? 'deploy window' : 'silence';
    return `<rect class="silence-window silence-${w.kind}" data-silence-id="${esc(w.id)}" x="${x1.toFixed(1)}" y="0" width="${Math.max(2, x2 - x1).toFixed(1)}" height="${height}"><title>${esc(`${what} ${w.id} ${et(w.start)}-${et(w.end)} ET by ${w.by}: ${w.reason}; held back up to ${w.held} open event(s)`)}</title></rect>`;
  });
  for (let t = axis.from; t <= axis.to; t += 3_600_000) {
    const x = axis.x(t).toFixed(1);
    parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="0" y2="${height}"/>`);
  }
  if (input.session) {
    const open = Date.parse(input.session.open);
    const marks: [string, number][] = [
      ['open', open],
      ['open grace', open + (input.openGraceMinute - 30) * 60_000],
      [input.session.early_close ? 'early close' : 'close', Date.parse(input.session.close)],
    ];
    for (const [label, t] of marks) {
      const x = axis.x(t).toFixed(1);
      parts.push(
        `<line class="mark mark-${label.replace(' ', '-')}" x1="${x}" x2="${x}" y1="0" y2="${height}"><title>${label} ${et(t)} ET</title></line>`,
      );
    }
  }
  return parts.join('');
}

function timeLabels(axis: Axis, where: 'top' | 'bottom'): string {
  const parts: string[] = [];
  for (let t = axis.from; t <= axis.to; t += 3_600_000) {
    const x = axis.x(t).toFixed(1);
    parts.push(
      `<text class="tick" x="${x}" y="15" text-anchor="middle">${et(t)}</text><text class="tick jst" x="${x}" y="32" text-anchor="middle">${jst(t)}</text>`,
    );
  }
  parts.push(
    `<text class="tick" x="${LEFT - 26}" y="15" text-anchor="end">ET</text><text class="tick jst" x="${LEFT - 26}" y="32" text-anchor="end">JST</text>`,
  );
  return `${svgOpen('axis', `data-axis="${where}"`, 38)} role="img" aria-label="time axis in ET and JST">${parts.join('')}</svg>`;
}

function lineChart(
  id: string,
  title: string,
  axis: Axis,
  input: ReportInput,
  lines: { name: string; points: Point[] }[],
  threshold?: number,
): string {
  const H = 150;
  const max = Math.max(1, threshold ?? 0, ...lines.flatMap((l) => l.points.map((p) => p.v))) * 1.1;
  const y = (v: number) => (H - 10 - (v / max) * (H - 25)).toFixed(1);
  const body = lines
    .map((l, i) => {
      if (l.points.length === 0) return '';
      // Step lines: a reading holds until the next run.
      const d = l.points
        .map(
          (p, j) =>
            `${j === 0 ? 'M' : 'H'}${axis.x(p.t).toFixed(1)}${j === 0 ? ` ${y(p.v)}` : ` V${y(p.v)}`}`,
        )
        .join(' ');
      const dots = l.points
        .map(
          (p) =>
            `<circle cx="${axis.x(p.t).toFixed(1)}" cy="${y(p.v)}" r="1.8" fill="${LINE_COLORS[i]}"><title>${esc(l.name)} ${p.v} at ${et(p.t)} ET</title></circle>`,
        )
        .join('');
      const dash = LINE_DASHES[i] ? ` stroke-dasharray="${LINE_DASHES[i]}"` : '';
      return `<path class="series" data-series="${esc(l.name)}" d="${d}" stroke="${LINE_COLORS[i]}" stroke-width="${LINE_WIDTHS[i]}"${dash}/>${dots}`;
    })
    .join('');
  const thresholdLine =
    threshold === undefined
      ? ''
      : `<line class="threshold" x1="${LEFT}" x2="${W - RIGHT}" y1="${y(threshold)}" y2="${y(threshold)}"><title>threshold ${threshold}</title></line>`;
  const legend = lines
    .map((l, i) => `<tspan fill="${LINE_COLORS[i]}">&#9632; ${esc(l.name)}</tspan>`)
    .join('  ');
  // Whole-number ticks only: these are counts and seconds.
  const top = max / 1.1;
  const step = Math.max(1, Math.ceil(top / 2));
  const ticks: number[] = [];
  for (let v = 0; v <= top + 1e-9; v += step) ticks.push(v);
  const yTicks = ticks
    .map((v) => `<text class="ytick" x="${LEFT - 6}" y="${Number(y(v)) + 4}" text-anchor="end">${v}</text>`)
    .join('');
  return `<section><h2>${esc(title)}</h2>${svgOpen('chart', `data-chart="${id}"`, H)} role="img" aria-label="${esc(title)}">${timeGrid(axis, H, input)}${yTicks}${thresholdLine}${body}<text class="legend" x="${LEFT + 6}" y="14">${legend}</text></svg></section>`;
}

function statusStrip(axis: Axis, points: Point[]): string {
  const names = ['ok', 'degraded', 'down'];
  const colors = [COLORS.ok, COLORS.warn, COLORS.critical];
  return points
    .map((p, i) => {
      const x1 = axis.x(p.t);
      const x2 = i + 1 < points.length ? axis.x(points[i + 1].t) : x1 + 4;
      return `<rect class="md-status md-${names[p.v]}" x="${x1.toFixed(1)}" y="0" width="${Math.max(2, x2 - x1).toFixed(1)}" height="12" fill="${colors[p.v]}"><title>market data ${names[p.v]} at ${et(p.t)} ET</title></rect>`;
    })
    .join('');
}

function eventsChart(axis: Axis, input: ReportInput, episodes: Episode[]): string {
  const rows = [...new Set(episodes.map((e) => e.signature))];
  const H = Math.max(40, rows.length * 22 + 16);
  const body = episodes
    .map((e) => {
      const row = rows.indexOf(e.signature);
      const yMid = 14 + row * 22;
      const x1 = axis.x(e.firstSeen);
      const x2 = axis.x(e.resolvedAt ?? e.lastSeen);
      const color = COLORS[e.severity];
      const end = e.resolvedAt ? `resolved ${et(e.resolvedAt)} ET` : `still open at ${et(e.lastSeen)} ET`;
      return (
        `<g class="event-marker${e.silencedBy ? ' silenced' : ''}" data-code="${esc(e.code)}" data-severity="${e.severity}"${e.silencedBy ? ` data-silenced-by="${esc(e.silencedBy)}"` : ''}>` +
        `<rect x="${x1.toFixed(1)}" y="${yMid - 5}" width="${Math.max(2, x2 - x1).toFixed(1)}" height="10" rx="3" fill="${color}" opacity="0.35"/>` +
        // A silenced event is a hollow ring: recorded, not told.
        `<circle cx="${x1.toFixed(1)}" cy="${yMid}" r="6" fill="${e.silencedBy ? '#fff' : color}"${e.escalate ? ' stroke="#000" stroke-width="2"' : e.silencedBy ? ` stroke="${color}" stroke-width="2" stroke-dasharray="3 2"` : ''}/>` +
        (e.resolvedAt
          ? `<line x1="${x2.toFixed(1)}" x2="${x2.toFixed(1)}" y1="${yMid - 7}" y2="${yMid + 7}" stroke="${color}" stroke-width="2"/>`
          : '') +
        `<title>${esc(`${e.severity.toUpperCase()}${e.escalate ? ' ESCALATE' : ''} ${e.code}: ${e.summary}\nfirst seen ${et(e.firstSeen)} ET, ${end}${e.silencedBy ? `\nsilenced by ${e.silencedBy}: recorded, not told` : ''}`)}</title></g>` +
        `<text class="row-label" x="${(x2 + 8).toFixed(1)}" y="${yMid + 4}">${esc(e.code)}</text>`
      );
    })
    .join('');
  return `<section><h2>Events (${episodes.length})</h2>${svgOpen('chart', 'data-chart="events"', H)} role="img" aria-label="events">${timeGrid(axis, H, input)}${body}</svg></section>`;
}

function runsAndCoverage(
  axis: Axis,
  input: ReportInput,
  runs: ReturnType<typeof reportData>['runs'],
): string {
  const ticks = runs
    .map(
      (r) =>
        `<rect class="run-tick run-${r.decision}" x="${(axis.x(r.t) - 1.5).toFixed(1)}" y="4" width="3" height="16" fill="${COLORS[r.decision]}"><title>${et(r.t)} ET ${esc(r.trigger)}: ${r.decision}${r.notified ? ', notified' : ''}</title></rect>`,
    )
    .join('');
  const windows = [
    ...input.gap.covered_windows.map((w) => ({ ...w, state: 'covered' })),
    ...input.gap.missing_windows.map((w) => ({ ...w, state: 'missing' })),
    ...input.gap.pending_windows.map((w) => ({ ...w, state: 'pending' })),
  ]
    .map((w) => {
      const t = Date.parse(w.at);
      const color =
        w.state === 'missing' ? COLORS.critical : w.state === 'covered' ? COLORS.ok : COLORS.observe;
      const h = w.state === 'missing' ? 18 : 10;
      return `<rect class="window window-${w.state}" x="${(axis.x(t) - 1.5).toFixed(1)}" y="${w.schedule === 'primary' ? 30 : 52}" width="3" height="${h}" fill="${color}"><title>${w.schedule} window ${et(t)} ET: ${w.state}</title></rect>`;
    })
    .join('');
  const H = 80;
  return `<section><h2>Runs by decision, and schedule coverage (primary / fallback)</h2>${svgOpen('chart', 'data-chart="runs"', H)} role="img" aria-label="runs and schedule coverage">${timeGrid(axis, H, input)}<text class="ytick" x="${LEFT - 6}" y="16" text-anchor="end">runs</text><text class="ytick" x="${LEFT - 6}" y="40" text-anchor="end">primary</text><text class="ytick" x="${LEFT - 6}" y="62" text-anchor="end">fallback</text>${ticks}${windows}</svg></section>`;
}

const CSS = `.silence-window{fill:#8a8f98;fill-opacity:.16}.silence-deploy-window{fill:#4c7bd9}.silenced-by{color:#666;font-size:12px}body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24;background:#fff;max-width:1100px}h1{font-size:20px;margin:0 0 4px}h2{font-size:14px;margin:18px 0 4px;color:#444}
.summary{display:flex;flex-wrap:wrap;gap:12px 24px;margin:12px 0}.summary div{background:#f4f6f8;border-radius:6px;padding:8px 12px}.summary b{display:block;font-size:18px}
svg.chart,svg.axis{display:block;overflow:visible;width:100%;height:auto}.grid{stroke:#e3e6ea}.mark{stroke:#555;stroke-dasharray:4 3}.mark-open-grace{stroke:#999;stroke-dasharray:2 3}
.series{fill:none}.threshold{stroke:#d62728;stroke-dasharray:6 4}.tick,.ytick,.legend,.row-label{font-size:16px;fill:#555}.tick.jst{fill:#8a939c}.jst{color:#6b747d}
.legend-box{display:flex;flex-wrap:wrap;gap:4px 14px;align-items:center;background:#f4f6f8;border-radius:6px;padding:6px 10px;font-size:12px}.legend-item{display:inline-flex;align-items:center;gap:3px}
.missing{color:#d62728;font-weight:600}.scroll{overflow-x:auto}table{border-collapse:collapse;margin-top:8px}td,th{border-bottom:1px solid #e3e6ea;padding:3px 10px;text-align:left;font-size:12px;vertical-align:top}
.sev-critical,.decision-escalate{color:#d62728;font-weight:600}.sev-warn,.decision-notify{color:#b86e00;font-weight:600}.resolved{color:#2ca02c}.generated{color:#555;font-size:12px;margin:4px 0}
@media (max-width:800px){body{margin:10px}td,th{padding:3px 5px}}`;

export function renderReport(input: ReportInput): string {
  const data = reportData(input.records, input.silences);
  const times = data.runs.map((r) => r.t);
  const axis = axisFor(input, times.length ? times : [Date.parse(`${input.date}T12:00:00Z`)], data.silences);
  const s = data.series;
  const decisions = { observe: 0, notify: 0, escalate: 0 };
  for (const r of data.runs) decisions[r.decision]++;
  const offset = etOffsetMinutes(axis.from) === -240 ? 'EDT' : 'EST';
  const sessionLine = input.session
    ? `NYSE session ${et(Date.parse(input.session.open))}-${et(Date.parse(input.session.close))} ET${input.session.early_close ? ' (early close)' : ''}, open grace until 09:${String(input.openGraceMinute).padStart(2, '0')} ET`
    : 'no NYSE session on this date';
  const eventRows = data.episodes
    .map(
      (e) =>
        `<tr><td style="color:${COLORS[e.severity]}">${e.severity}${e.escalate ? ' / escalate' : ''}</td><td>${esc(e.code)}${e.silencedBy ? ` <span class="silenced-by">silenced by ${esc(e.silencedBy)}</span>` : ''}</td><td>${etJst(e.firstSeen)}</td><td>${e.resolvedAt ? etJst(e.resolvedAt) : 'open'}</td><td>${esc(e.summary)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>aegis-pt session report ${input.date}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>${CSS}</style></head><body>
<h1>aegis-pt session report ${esc(input.date)}</h1>
<div>${esc(sessionLine)}. Times in ET (${offset}), JST beside them.</div>
${generatedLine(input.generated, data.runs.length)}
<div class="summary"><div>runs<b>${data.runs.length}</b></div><div>events<b>${data.episodes.length}</b></div><div>observe / notify / escalate<b>${decisions.observe} / ${decisions.notify} / ${decisions.escalate}</b></div><div>schedule windows covered<b class="${input.gap.missing_windows.length ? 'missing' : ''}">${input.gap.covered} / ${input.gap.expected}${input.gap.missing_windows.length ? `, ${input.gap.missing_windows.length} missing` : ''}</b></div></div>
${kpiSection(input.kpis, input.date)}
${legend()}
${timeLabels(axis, 'top')}
${lineChart('heartbeat', 'Heartbeat age (s)', axis, input, [{ name: 'heartbeat_age_sec', points: s.heartbeat_age_sec }], 300)}
${lineChart('orders', 'Pending orders and exits', axis, input, [
  { name: 'pending_orders', points: s.pending_orders },
  { name: 'pending_exits', points: s.pending_exits },
  { name: 'stuck_exits', points: s.stuck_exits },
])}
${lineChart('market-data', 'Market data: 10197 notices, and status (strip: ok / degraded / down)', axis, input, [{ name: 'market_data_10197_recent', points: s.market_data_10197_recent }], 10).replace('</svg></section>', `<g transform="translate(0,138)">${statusStrip(axis, s.market_data_status)}</g></svg></section>`)}
${lineChart('ecs', 'ECS running count', axis, input, [
  { name: 'ecs_running', points: s.ecs_running },
  { name: 'ecs_desired', points: s.ecs_desired },
])}
${eventsChart(axis, input, data.episodes)}
${runsAndCoverage(axis, input, data.runs)}
${timeLabels(axis, 'bottom')}
${notificationsTable(data.notifications)}
<h2>Events</h2><div class="scroll"><table><tr><th>severity</th><th>code</th><th>first seen</th><th>resolved</th><th>summary</th></tr>${eventRows || '<tr><td colspan="5">none</td></tr>'}</table></div>
${infoTable(data.info)}
${input.gap.missing_windows.length ? `<h2 class="missing">Missing schedule windows</h2><ul>${input.gap.missing_windows.map((w) => `<li class="missing">${w.schedule} ${et(Date.parse(w.at))} ET (${w.at})</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
