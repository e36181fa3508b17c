// The person's view of a replay: one line per notification either side, then the summary, and the
// loud warning last, where it cannot scroll away.
import { formatEt } from '../../lambda/detector/time';
import type { LostEvent, ReplayReport, Told } from './replay';

const et = (iso: string) => `${formatEt(Date.parse(iso)).slice(11, 16)} ET`;

function toldText(t: Told): string {
  const parts = [
    ...(t.new.length ? [`new ${t.new.join(',')}`] : []),
    ...(t.resolved.length ? [`resolved ${t.resolved.join(',')}`] : []),
  ];
  return `${et(t.at)} ${t.at} ${t.trigger.padEnd(17)} ${t.decision.padEnd(8)} ${parts.join('; ')}`;
}

const lostText = (l: LostEvent) =>
  `  ${l.severity.toUpperCase()}${l.escalate ? ' ESCALATE' : ''} ${l.signature} (told ${et(l.told_at)}, ${l.told_at})`;

export function formatReplay(report: ReplayReport): string {
  const settings = Object.entries(report.settings).map(([k, v]) => `${k}=${v}`);
  const lines = [
    `Replay ${report.from} .. ${report.to}: ${report.runs} run(s); settings ${settings.length ? settings.join(' ') : 'as stored'}`,
    '(= told alike, - told then, + told now)',
    ...report.lines.map((l) => `${l.mark} ${toldText(l.told)}`),
  ];
  if (report.runs_without_observation.length > 0)
    lines.push(
      `${report.runs_without_observation.length} run(s) stored without their observation were not replayed (first ${report.runs_without_observation[0]})`,
    );
  for (const u of report.runs_unreadable)
    lines.push(`run ${u.checked_at} not replayed: its stored observation is damaged (${u.reason})`);
  lines.push(
    `Notifications: then ${report.notifications_then}, now ${report.notifications_now}; ${report.lines.filter((l) => l.mark !== '=').length} line(s) differ`,
  );
  lines.push(
    `Told then, never now (${report.no_longer_told.length}):`,
    ...report.no_longer_told.map(lostText),
  );
  lines.push(`Told now, never then (${report.newly_told.length}):`, ...report.newly_told.map(lostText));
  if (report.escalations_lost.length > 0) {
    lines.push(
      '',
      `!!! WARNING: ${report.escalations_lost.length} ESCALATION(S) TOLD BEFORE WOULD NEVER BE TOLD WITH THESE SETTINGS !!!`,
      ...report.escalations_lost.map(lostText),
      'Thresholds are tuned to cut noise, never to hide a stop-and-escalate: do not deploy these settings.',
    );
  }
  lines.push(
    `VERDICT: ${report.verdict === 'same' ? 'no difference' : report.verdict === 'different' ? 'notifications differ' : 'an escalation would be lost'}`,
  );
  return lines.join('\n');
}
