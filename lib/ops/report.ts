// The session report: one self-contained HTML file of plain SVG (no scripts, no external requests).
// Every text from a run record goes through markup`` (report-html.ts), which escapes it.
import { etDate, etOffsetMinutes } from '../../lambda/detector/time';
import type { RunRecord, SessionInfo } from '../../lambda/detector/types';
import type { KpiRow } from '../../lambda/digest/kpi';
import type { Silence } from '../../lambda/detector/silences';
import type { GapReport } from './gap';
import { axisFor, lineChart, statusStrip, timeLabels, type ChartContext } from './report-charts';
import { reportData, type ReportData } from './report-data';
import { eventsChart, runsAndCoverage } from './report-events';
import { markup, raw, type Html } from './report-html';
import { notificationsTable } from './report-notifications';
import {
  COLORS,
  et,
  etJst,
  generatedLine,
  infoTable,
  kpiSection,
  legend,
  type Generated,
} from './report-sections';
import { summarySentences } from './report-summary';

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

const CSS = `.silence-window{fill:#8a8f98;fill-opacity:.16}.silence-deploy-window{fill:#4c7bd9}.silenced-by{color:#666;font-size:12px}body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24;background:#fff;max-width:1100px}h1{font-size:20px;margin:0 0 4px}h2{font-size:14px;margin:18px 0 4px;color:#444}
.what-happened{font-size:16px;line-height:1.45;margin:10px 0;padding:8px 12px;border-left:4px solid #1f77b4;background:#f4f6f8}.what-happened p{margin:0 0 4px}
.summary{display:flex;flex-wrap:wrap;gap:12px 24px;margin:12px 0}.summary div{background:#f4f6f8;border-radius:6px;padding:8px 12px}.summary b{display:block;font-size:18px}
svg.chart,svg.axis{display:block;overflow:visible;width:100%;height:auto;min-width:400px}.grid{stroke:#e3e6ea}.mark{stroke:#555;stroke-dasharray:4 3}.mark-open-grace{stroke:#999;stroke-dasharray:2 3}
.series{fill:none}.threshold{stroke:#d62728;stroke-dasharray:6 4}.tick,.ytick,.legend,.row-label{font-size:16px;fill:#555}.tick.jst{fill:#8a939c}.jst{color:#6b747d}.slots{color:#555;font-size:12px}
.legend-box{display:flex;flex-wrap:wrap;gap:4px 14px;align-items:center;background:#f4f6f8;border-radius:6px;padding:6px 10px;font-size:12px}.legend-item{display:inline-flex;align-items:center;gap:3px}
.missing{color:#d62728;font-weight:600}.scroll{overflow-x:auto}table{border-collapse:collapse;margin-top:8px}td,th{border-bottom:1px solid #e3e6ea;padding:3px 10px;text-align:left;font-size:12px;vertical-align:top}
.sev-critical,.decision-escalate{color:#d62728;font-weight:600}.sev-warn,.decision-notify{color:#b86e00;font-weight:600}.resolved{color:#2ca02c}.generated{color:#555;font-size:12px;margin:4px 0}
@media (max-width:800px){body{margin:10px}td,th{padding:3px 5px}}`;

/** The tiles under the summary: runs, events, decisions, schedule coverage. */
function tiles(data: ReportData, gap: GapReport): Html {
  const decisions = { observe: 0, notify: 0, escalate: 0 };
  for (const r of data.runs) if (r.decision in decisions) decisions[r.decision]++;
  const missing = gap.missing_windows.length;
  return markup`<div class="summary"><div>runs<b>${data.runs.length}</b></div><div>events<b>${data.episodes.length}</b></div><div>observe / notify / escalate<b>${decisions.observe} / ${decisions.notify} / ${decisions.escalate}</b></div><div>schedule windows covered<b class="${missing ? 'missing' : ''}">${gap.covered} / ${gap.expected}${missing ? `, ${missing} missing` : ''}</b></div></div>`;
}

/** A time in both clocks, with its ET date in front when it is not the report's. */
const dated = (t: number, date: string) => (etDate(t) === date ? etJst(t) : markup`${etDate(t)} ${etJst(t)}`);

function eventTable(data: ReportData, date: string): Html {
  const rows = data.episodes.map((e) => {
    const by = e.heldBy.length
      ? markup` <span class="silenced-by">silenced by ${e.heldBy.join(', ')}</span>`
      : '';
    const end =
      e.resolvedAt !== undefined
        ? dated(e.resolvedAt, date)
        : e.replacedAt !== undefined
          ? markup`seen anew ${dated(e.replacedAt, date)} (no resolution recorded)`
          : 'open';
    return markup`<tr><td style="color:${COLORS[e.severity]}">${e.severity}${e.escalate ? ' / escalate' : ''}</td><td>${e.code}${by}</td><td>${dated(e.firstSeen, date)}</td><td>${end}</td><td>${e.summary}</td></tr>`;
  });
  const body = rows.length ? rows : markup`<tr><td colspan="5">none</td></tr>`;
  return markup`<h2>Events</h2><div class="scroll"><table><tr><th>severity</th><th>code</th><th>first seen</th><th>resolved</th><th>summary</th></tr>${body}</table></div>`;
}

function missingList(gap: GapReport): Html {
  if (gap.missing_windows.length === 0) return markup``;
  const items = gap.missing_windows.map(
    (w) => markup`<li class="missing">${w.schedule} ${et(Date.parse(w.at))} ET (${w.at})</li>`,
  );
  return markup`<h2 class="missing">Missing schedule windows</h2><ul>${items}</ul>`;
}

export function renderReport(input: ReportInput): string {
  const data = reportData(input.records, input.silences);
  const times = data.runs.map((r) => r.t);
  const axis = axisFor(
    input.session,
    times.length ? times : [Date.parse(`${input.date}T12:00:00Z`)],
    data.silences,
  );
  const ctx: ChartContext = { session: input.session, openGraceMinute: input.openGraceMinute };
  const s = data.series;
  const offset = etOffsetMinutes(axis.from) === -240 ? 'EDT' : 'EST';
  const sessionLine = input.session
    ? `NYSE session ${et(Date.parse(input.session.open))}-${et(Date.parse(input.session.close))} ET${input.session.early_close ? ' (early close)' : ''}, open grace until 09:${String(input.openGraceMinute).padStart(2, '0')} ET`
    : 'no NYSE session on this date';
  const summary = summarySentences(data, input.gap, input.date).map((line) => markup`<p>${line}</p>`);
  const page = markup`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>aegis-pt session report ${input.date}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>${raw(CSS)}</style></head><body>
<h1>aegis-pt session report ${input.date}</h1>
<div>${sessionLine}. Times in ET (${offset}), JST beside them.</div>
<div class="what-happened" data-summary="1">${summary}</div>
${generatedLine(input.generated, data.runs.length)}
${tiles(data, input.gap)}
${kpiSection(input.kpis, input.date)}
${legend()}
${timeLabels(axis, 'top')}
${lineChart('heartbeat', 'Heartbeat age (s)', axis, ctx, [{ name: 'heartbeat_age_sec', points: s.heartbeat_age_sec }], { threshold: 300 })}
${lineChart('orders', 'Pending orders and exits', axis, ctx, [
  { name: 'pending_orders', points: s.pending_orders },
  { name: 'pending_exits', points: s.pending_exits },
  { name: 'stuck_exits', points: s.stuck_exits },
])}
${lineChart('market-data', 'Market data: 10197 notices, and status (strip: ok / degraded / down)', axis, ctx, [{ name: 'market_data_10197_recent', points: s.market_data_10197_recent }], { threshold: 10, extra: statusStrip(axis, s.market_data_status) })}
${lineChart('ecs', 'ECS running count', axis, ctx, [
  { name: 'ecs_running', points: s.ecs_running },
  { name: 'ecs_desired', points: s.ecs_desired },
])}
${eventsChart(axis, ctx, data.episodes)}
${runsAndCoverage(axis, ctx, data.runs, input.gap)}
${timeLabels(axis, 'bottom')}
${notificationsTable(data.notifications)}
${eventTable(data, input.date)}
${infoTable(data.info)}
${missingList(input.gap)}
</body></html>
`;
  return page.text;
}
