// The session report's reading aids for the on-call person: the legend, the info items, the KPIs and
// where the page came from. Plain HTML and SVG, written through the escaping markup`` helper.
import { formatEt, formatJst } from '../../lambda/detector/time';
import type { InfoGroup } from './report-data';
import { markup, raw, type Html } from './report-html';
import { KPI_LABELS, KPI_NAMES, type KpiRow, type Trend } from '../../lambda/digest/kpi';

export const COLORS: Readonly<Record<string, string>> = {
  critical: '#d62728',
  warn: '#ff9f1c',
  ok: '#2ca02c',
  observe: '#9aa5b1',
  notify: '#ff9f1c',
  escalate: '#d62728',
};
/** A silence band's colour: a deploy window blue, a manual silence grey (as the page's CSS shades them). */
const BAND_COLORS = { 'deploy-window': '#4c7bd9', manual: '#8a8f98' } as const;

/** HH:MM; a time that is not one (never from a record: report-record.ts parses those) reads --:--. */
export const et = (t: number) => (Number.isFinite(t) ? formatEt(t).slice(11, 16) : '--:--');
export const jst = (t: number) => (Number.isFinite(t) ? formatJst(t).slice(11, 16) : '--:--');
/** Both clocks the team works in, ET first (the market's). */
export const etJst = (t: number) => markup`${et(t)} ET <span class="jst">${jst(t)} JST</span>`;

const item = (shape: string, text: string, cls: string) =>
  markup`<span class="legend-item ${cls}"><svg width="22" height="18" viewBox="0 0 22 18" aria-hidden="true">${raw(shape)}</svg>${text}</span>`;
const tick = (c: string, h = 16) => `<rect x="9" y="${17 - h}" width="4" height="${h}" fill="${c}"/>`;
const dot = (c: string, ring = false) =>
  `<circle cx="11" cy="9" r="6" fill="${c}"${ring ? ' stroke="#000" stroke-width="2"' : ''}/>`;
const band = (c: string) => `<rect x="1" y="0" width="20" height="18" fill="${c}" fill-opacity=".3"/>`;
const hollow = `<circle cx="11" cy="9" r="6" fill="#fff" stroke="${COLORS.critical}" stroke-width="2" stroke-dasharray="3 2"/>`;
const bar = `<rect x="1" y="4" width="20" height="10" rx="3" fill="${COLORS.warn}" opacity="0.35"/><line x1="20" x2="20" y1="2" y2="16" stroke="${COLORS.warn}" stroke-width="2"/>`;
const dashed = (c: string, dash: string) =>
  `<line x1="1" x2="21" y1="9" y2="9" stroke="${c}" stroke-dasharray="${dash}" stroke-width="2"/>`;

/**
 * What every mark means, drawn with the same shapes as the charts, so a screenshot, a print or an email
 * keeps it (a hover tooltip does not).
 */
export function legend(): Html {
  const items = [
    item(tick(COLORS.observe), 'run: observe', 'legend-run-observe'),
    item(tick(COLORS.notify), 'run: notify', 'legend-run-notify'),
    item(tick(COLORS.escalate), 'run: escalate', 'legend-run-escalate'),
    item(dot(COLORS.warn), 'event: warn', 'legend-warn'),
    item(dot(COLORS.critical), 'event: critical', 'legend-critical'),
    item(dot(COLORS.critical, true), 'black ring: stop and escalate', 'legend-escalate'),
    item(hollow, 'hollow ring: silenced (recorded, not told)', 'legend-silenced'),
    item(bar, 'bar: open until resolved (end bar)', 'legend-bar'),
    item(
      band(BAND_COLORS['deploy-window']),
      'blue band: deploy window (its events held back)',
      'legend-deploy-window',
    ),
    item(band(BAND_COLORS.manual), 'grey band: silence', 'legend-silence'),
    item(tick(COLORS.ok, 9), 'short green: schedule window covered', 'legend-covered'),
    item(tick(COLORS.critical), 'tall red: schedule window missed', 'legend-missing'),
    item(tick(COLORS.observe, 9), 'short grey: window not due yet', 'legend-pending'),
    item(dashed('#d62728', '6 4'), 'dashed red: threshold', 'legend-threshold'),
    item(dashed('#555', '4 3'), 'dashed grey: open, open grace, close', 'legend-marks'),
  ];
  return markup`<div class="legend-box" data-legend="1"><b>Legend</b> ${items}</div>`;
}

/** Observations that raise nothing (10197 at the open, a task ECS replaced): context, not alerts. */
export function infoTable(info: readonly InfoGroup[]): Html {
  const rows = info.map((i) => {
    const last = i.runs > 1 ? markup`${etJst(i.last)} (${i.runs} runs)` : '1 run';
    return markup`<tr class="info-item" data-code="${i.code}"><td>${i.code}</td><td>${etJst(i.first)}</td><td>${last}</td><td>${i.summary}</td></tr>`;
  });
  const body = rows.length ? rows : markup`<tr><td colspan="4">none</td></tr>`;
  return markup`<h2>Info (${info.length}): seen, nothing to do</h2><div class="scroll"><table class="info"><tr><th>code</th><th>first</th><th>last</th><th>summary</th></tr>${body}</table></div>`;
}

export interface Generated {
  readonly at: string;
  readonly from: string;
}

export function generatedLine(generated: Generated | undefined, runs: number): Html {
  if (!generated) return markup``;
  const t = Date.parse(generated.at);
  return markup`<p class="generated">Generated ${generated.at} (${etJst(t)}) by aegis-pt-health report from ${runs} run record(s) in ${generated.from}.</p>`;
}

const TREND_MARK: Readonly<Record<Trend, Html>> = {
  up: raw('&#9650; up'),
  down: raw('&#9660; down'),
  flat: raw('= flat'),
  new: raw('new'),
};

/** The runbook's reliability KPIs for this session beside the earlier ones, with the trend of each. */
export function kpiSection(rows: readonly KpiRow[] | undefined, date: string): Html {
  if (!rows || rows.length === 0) return markup``;
  const head = KPI_NAMES.map((n) => markup`<th>${KPI_LABELS[n]}</th>`);
  const body = rows.map((r) => {
    const cells = KPI_NAMES.map((n) => {
      if (r.kpis === null) return markup`<td>-</td>`;
      const trend =
        r.trend && r.date === date ? markup` <span class="trend">${TREND_MARK[r.trend[n]]}</span>` : '';
      return markup`<td class="kpi-${r.trend?.[n] ?? 'new'}">${r.kpis[n]}${trend}</td>`;
    });
    const current = r.date === date ? ' kpi-current' : '';
    return markup`<tr class="kpi-row${current}" data-date="${r.date}"><td>${r.date}${r.early_close ? ' (early close)' : ''}</td><td>${r.runs}</td>${cells}</tr>`;
  });
  return markup`<h2>Reliability KPIs (drive to zero): this session against the mean of the ${rows.length - 1} before it</h2><div class="scroll"><table class="kpis"><tr><th>session</th><th>runs</th>${head}</tr>${body}</table></div><div class="generated">"-": no run records for that session (unknown, not zero).</div>`;
}
