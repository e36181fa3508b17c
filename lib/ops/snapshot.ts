// The market-session evidence snapshot: what an operator pastes into the work log.
import type { DetectorOutput, EcsObservation } from '../../lambda/detector/types';
import { observationView } from './observation-view';
import type { ObservationBundle } from '../../lambda/detector/types';
import { formatGapReport, type GapReport } from './gap';

export interface SnapshotReport {
  readonly output: DetectorOutput;
  readonly gap?: GapReport;
  /** Where the observation came from: live, a bundle file, or a stored run (offline). */
  readonly source?: string;
}

export interface SnapshotStyle {
  /** One record block of a work log: a level-2 title with the absolute times, level-3 sections. */
  readonly workLog?: boolean;
}

function ecsLines(ecs: EcsObservation | null, error: string | undefined): string[] {
  if (!ecs) return [`- ECS: not readable (${error ?? 'no observation'})`];
  const s = ecs.service;
  const lines = [
    `- Service ${s?.serviceName ?? '?'}: status=${s?.status ?? '?'} desired=${s?.desiredCount ?? '?'} running=${s?.runningCount ?? '?'} pending=${s?.pendingCount ?? '?'}`,
  ];
  for (const d of s?.deployments ?? [])
    lines.push(`- Deployment ${d.id ?? '?'}: ${d.status ?? '?'} ${d.rolloutState ?? ''}`.trimEnd());
  for (const t of ecs.tasks) {
    const containers = (t.containers ?? [])
      .map((c) => `${c.name}=${c.lastStatus ?? '?'}/${c.healthStatus ?? 'UNKNOWN'}`)
      .join(', ');
    lines.push(
      `- Task ${(t.taskArn ?? '?').split('/').pop()}: ${t.lastStatus ?? '?'} since ${t.startedAt ?? '?'} (${containers})`,
    );
  }
  for (const t of ecs.stopped_tasks) {
    lines.push(
      `- Stopped task ${(t.taskArn ?? '?').split('/').pop()} at ${t.stoppedAt ?? '?'}: ${t.stoppedReason ?? 'no reason'}`,
    );
  }
  return lines;
}

const wall = (iso: string) => iso.slice(0, 19).replace('T', ' ');

export function renderSnapshot(
  bundle: ObservationBundle,
  report: SnapshotReport,
  style: SnapshotStyle = {},
): string {
  const { output } = report;
  const h = style.workLog ? '###' : '##';
  const { status, ecs } = observationView(bundle);
  const sig = output.signals;
  const r = status?.last_position_reconcile;
  const session = output.clock.session;
  const lines = [
    style.workLog
      ? `## ${wall(output.clock.jst)} JST / ${wall(output.clock.et)} ET: ${output.decision.toUpperCase()}`
      : `# aegis-pt market-session evidence ${output.checked_at}`,
    '',
    ...(report.source ? [`- Source: ${report.source}`] : []),
    `- JST: ${output.clock.jst}`,
    `- ET: ${output.clock.et}`,
    ...(style.workLog ? [`- UTC: ${output.checked_at}`] : []),
    `- Market: ${output.clock.market}${session ? ` (session ${session.open} - ${session.close}${session.early_close ? ', early close' : ''}; past open grace: ${output.clock.past_open_grace})` : ''}`,
    '',
    `${h} Runtime (ECS)`,
    ...ecsLines(ecs, bundle.ecs_error),
    '',
    `${h} Trading runtime (status_v3)`,
    status
      ? `- Heartbeat: ${status.heartbeat_at ?? 'not reported'} (age ${sig.heartbeat_age_sec ?? '?'}s), platform ${status.runtime_platform ?? '?'}, Synology containers ${status.synology_ibkr_containers_running ?? '?'}`
      : `- Dashboard: not readable (${bundle.dashboard_error ?? 'no payload'})`,
    `- Pending: orders=${sig.pending_orders ?? '?'} exits=${sig.pending_exits ?? '?'} stuck_exits=${sig.stuck_exits ?? '?'} max exit attempts=${sig.max_exit_attempt_count ?? '?'}`,
    `- Reconciliation: broker=${status?.broker_reconcile_pending ?? '?'} position=${status?.position_reconcile_pending ?? '?'} entry_blocking=${status?.entry_blocking_reconcile_pending ?? '?'}; last proof ${r ? `ok=${r.ok ?? '?'} matched=${r.matched ?? '?'} internal=${r.internal_count ?? '?'} broker=${r.broker_count ?? '?'} at ${r.at ?? '?'}` : 'not reported'}`,
    `- Market data: ${status?.market_data_status ?? 'not reported'}, 10197 x${status?.market_data_10197_recent ?? '?'}`,
    '',
    `${h} Events (${output.events.length})`,
    ...(output.events.length === 0
      ? ['- none']
      : output.events.map(
          (e) =>
            `- ${e.severity.toUpperCase()}${e.escalate ? ' ESCALATE' : ''} ${e.code}: ${e.summary} (first seen ${e.first_seen_at}, ${e.consecutive} run(s))${e.silenced_by ? ` [SILENCED by ${e.silenced_by}: recorded, not told${e.silence_held ? '; a notice is owed when it ends' : ''}]` : ''}`,
        )),
    ...(output.silences?.length
      ? [
          '',
          `${h} Silences active (${output.silences.length})`,
          ...output.silences.map(
            (n) =>
              `- ${n.id} (${n.kind}) until ${n.until} by ${n.by}: ${n.reason}; holding back ${n.events} open event(s); ${n.codes.join(', ')}`,
          ),
        ]
      : []),
    ...(output.resolved_events.length
      ? ['', `${h} Resolved`, ...output.resolved_events.map((e) => `- ${e.code} (since ${e.first_seen_at})`)]
      : []),
    ...(output.info.length ? ['', `${h} Info`, ...output.info.map((i) => `- ${i.code}: ${i.summary}`)] : []),
  ];
  if (report.gap) lines.push('', `${h} Schedule coverage`, '```', formatGapReport(report.gap), '```');
  const json = ['```json', JSON.stringify(output, null, 2), '```'];
  // In a work log the full output folds away, so the log stays readable block after block.
  if (style.workLog)
    lines.push('', '<details><summary>Detector output</summary>', '', ...json, '', '</details>', '');
  else lines.push('', `${h} Detector output`, ...json, '');
  lines.push(`DECISION: ${output.decision} (${output.decision_reason})`);
  return lines.join('\n');
}
