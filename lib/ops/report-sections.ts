// The session report's reading aids for the on-call person: the legend, the notifications that went
// out (when, to whom, why), the info items, and where the page came from. Plain HTML and SVG.
import { formatEt, formatJst } from '../../lambda/detector/time';
import type { InfoGroup, Notification } from './report-data';
import { KPI_LABELS, KPI_NAMES, type KpiRow, type Trend } from '../../lambda/digest/kpi';

export const COLORS = {
  critical: '#d62728',
  warn: '#ff9f1c',
  ok: '#2ca02c',
  observe: '#9aa5b1',
  notify: '#ff9f1c',
  escalate: '#d62728',
};

export const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
export const et = (t: number) => formatEt(t).slice(11, 16);
export const jst = (t: number) => formatJst(t).slice(11, 16);
/** Both clocks the team works in, ET first (the market's). */
export const etJst = (t: number) => `${et(t)} ET <span class="jst">${jst(t)} JST</span>`;

/** What every mark means, drawn with the same shapes as the charts. */
export function legend(): string {
  const item = (shape: string, text: string, cls: string) =>
    `<span class="legend-item ${cls}"><svg width="22" height="18" viewBox="0 0 22 18" aria-hidden="true">${shape}</svg>${esc(text)}</span>`;
  const tick = (c: string) => `<rect x="9" y="1" width="4" height="16" fill="${c}"/>`;
  const dot = (c: string, ring = false) =>
    `<circle cx="11" cy="9" r="6" fill="${c}"${ring ? ' stroke="#000" stroke-width="2"' : ''}/>`;
  return `<div class="legend-box" data-legend="1"><b>Legend</b>
${item(tick(COLORS.observe), 'run: observe', 'legend-run-observe')}
${item(tick(COLORS.notify), 'run: notify', 'legend-run-notify')}
${item(tick(COLORS.escalate), 'run: escalate', 'legend-run-escalate')}
${item(dot(COLORS.warn), 'event: warn', 'legend-warn')}
${item(dot(COLORS.critical), 'event: critical', 'legend-critical')}
${item(dot(COLORS.critical, true), 'black ring: stop and escalate', 'legend-escalate')}
${item(`<rect x="1" y="4" width="20" height="10" rx="3" fill="${COLORS.warn}" opacity="0.35"/><line x1="20" x2="20" y1="2" y2="16" stroke="${COLORS.warn}" stroke-width="2"/>`, 'bar: open until resolved (end bar)', 'legend-bar')}
${item(`<rect x="9" y="1" width="4" height="16" fill="${COLORS.critical}"/>`, 'tall red window: schedule missed', 'legend-missing')}
${item('<line x1="1" x2="21" y1="9" y2="9" stroke="#d62728" stroke-dasharray="6 4" stroke-width="2"/>', 'dashed red: threshold', 'legend-threshold')}
${item('<line x1="1" x2="21" y1="9" y2="9" stroke="#555" stroke-dasharray="4 3" stroke-width="2"/>', 'dashed grey: open, open grace, close', 'legend-marks')}
</div>`;
}

function toldCodes(n: Notification): string {
  const fresh = n.newEvents.map(
    (e) =>
      `<span class="sev-${e.severity}">${e.severity}${e.escalate ? ' ESCALATE' : ''} ${esc(e.code)}</span>`,
  );
  const resolved = n.resolved.map((c) => `<span class="resolved">resolved ${esc(c)}</span>`);
  return [...fresh, ...resolved].join(', ');
}

/** Each notification the records say went out, with its decision and the reason for it. */
export function notificationsTable(notifications: readonly Notification[]): string {
  const rows = notifications
    .map(
      (n) =>
        `<tr class="notification notification-${n.decision}"><td>${etJst(n.t)}</td><td>${esc(n.trigger)}</td><td class="decision-${n.decision}">${n.decision}</td><td>${n.audiences ? esc(n.audiences.join(', ')) : 'alert topic (all subscribers)'}</td><td>${toldCodes(n)}${n.redelivery ? ' <i>(told again: the earlier delivery was not confirmed)</i>' : ''}</td><td class="reason">${esc(n.reason)}</td></tr>`,
    )
    .join('');
  return `<h2>Notifications (${notifications.length})</h2><div class="scroll"><table class="notifications"><tr><th>when</th><th>trigger</th><th>decision</th><th>to</th><th>what</th><th>decision reason</th></tr>${rows || '<tr><td colspan="6">none went out</td></tr>'}</table></div>`;
}

/** Observations that raise nothing (10197 at the open, a task ECS replaced): context, not alerts. */
export function infoTable(info: readonly InfoGroup[]): string {
  const rows = info
    .map(
      (i) =>
        `<tr class="info-item" data-code="${esc(i.code)}"><td>${esc(i.code)}</td><td>${etJst(i.first)}</td><td>${i.runs > 1 ? `${etJst(i.last)} (${i.runs} runs)` : '1 run'}</td><td>${esc(i.summary)}</td></tr>`,
    )
    .join('');
  return `<h2>Info (${info.length}): seen, nothing to do</h2><div class="scroll"><table class="info"><tr><th>code</th><th>first</th><th>last</th><th>summary</th></tr>${rows || '<tr><td colspan="4">none</td></tr>'}</table></div>`;
}

export interface Generated {
  readonly at: string;
  readonly from: string;
}

export function generatedLine(generated: Generated | undefined, runs: number): string {
  if (!generated) return '';
  const t = Date.parse(generated.at);
  return `<p class="generated">Generated ${esc(generated.at)} (${etJst(t)}) by aegis-pt-health report from ${runs} run record(s) in ${esc(generated.from)}.</p>`;
}

const TREND_MARK: Readonly<Record<Trend, string>> = {
  up: '&#9650; up',
  down: '&#9660; down',
  flat: '= flat',
  new: 'new',
};

/** The runbook's reliability KPIs for this session beside the earlier ones, with the trend of each. */
export function kpiSection(rows: readonly KpiRow[] | undefined, date: string): string {
  if (!rows || rows.length === 0) return '';
  const head = KPI_NAMES.map((n) => `<th>${esc(KPI_LABELS[n])}</th>`).join('');
  const body = rows
    .map((r) => {
      const cells = KPI_NAMES.map((n) =>
        r.kpis === null
          ? '<td>-</td>'
          : `<td class="kpi-${r.trend?.[n] ?? 'new'}">${r.kpis[n]}${r.trend && r.date === date ? ` <span class="trend">${TREND_MARK[r.trend[n]]}</span>` : ''}</td>`,
      ).join('');
      return `<tr class="kpi-row${r.date === date ? ' kpi-current' : ''}" data-date="${esc(r.date)}"><td>${esc(r.date)}${r.early_close ? ' (early close)' : ''}</td><td>${r.runs}</td>${cells}</tr>`;
    })
    .join('');
  return `<h2>Reliability KPIs (drive to zero): this session against the mean of the ${rows.length - 1} before it</h2><div class="scroll"><table class="kpis"><tr><th>session</th><th>runs</th>${head}</tr>${body}</table></div><div class="generated">"-": no run records for that session (unknown, not zero).</div>`;
}
