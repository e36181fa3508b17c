// `aegis-pt-health kpi`: the runbook's reliability KPIs per session, from the run records.
import { isCalendarDate, parseDetectorConfig } from '../../lambda/detector/config';
import { sessionOn } from '../../lambda/detector/market-clock';
import { etDate } from '../../lambda/detector/time';
import { formatKpiTable, kpiRowsOf, sessionsUpTo } from '../../lambda/digest/kpi';
import { ArgumentError, defineCommand } from './definition';
import { EXIT, UsageError } from './io';
import { reportSkipped, runStore, SOURCE_OPTIONS } from './ops-sources';

export const command = defineCommand({
  description: `Prints, for each of the last N NYSE sessions up to --until, the KPIs the runbook says must be
driven to zero: distinct trades with an unknown PnL (pnl_unknown=true, or pnl_unknown not reported and no
finite pnl), Broker/reconcile-import-* imports counted by occurrence (symbol, tags, quantity: imported,
closed and imported again is 2; a run without a payload neither ends nor starts one), the highest exit
attempt count, task replacements (not counting deployments) and minutes with any critical
event (a run's critical state lasts until the next run, at most 15 minutes). Each is marked up, down or
flat against the mean of the earlier sessions listed. A session without run records shows "-":
unknown, never zero.`,
  options: {
    sessions: { type: 'string', value: 'N', description: 'how many sessions (1 to 250)', default: '20' },
    until: {
      type: 'string',
      value: 'YYYY-MM-DD',
      description: 'the last session date',
      absent: 'with --runs-dir, the last session that has records; otherwise today in ET',
    },
    ...SOURCE_OPTIONS,
  },
  exitCodes: { 0: 'done (the table, or JSON with --json)' },
  examples: ['kpi --sessions 10 --profile aegis-ops', 'kpi --runs-dir .demo --until 2026-06-01 --json'],
  async run({ values }, io) {
    const countText = values.sessions;
    if (!/^\d+$/.test(countText) || Number(countText) < 1 || Number(countText) > 250)
      throw new ArgumentError(
        `--sessions must be a whole number from 1 to 250, got ${JSON.stringify(countText)}`,
      );
    if (values.until !== undefined && !isCalendarDate(values.until))
      throw new ArgumentError(`--until must be YYYY-MM-DD, got ${JSON.stringify(values.until)}`);
    const count = Number(countText);
    const config = parseDetectorConfig(io.env);
    const store = await runStore(values, io);
    const view = store.records.view();
    // A directory of run records is usually a copy of some past days (the demo's, an incident's): its
    // sessions end at the last session with records (found from the keys), not today. The bucket: today.
    const recordDays =
      values.until === undefined && values['runs-dir'] !== undefined
        ? await view.recordDates(0, io.now().getTime())
        : [];
    const sessionDays = recordDays.filter((d) => sessionOn(d, config.marketClosures) !== null);
    const until = values.until ?? sessionDays.at(-1) ?? etDate(io.now().getTime());
    const sessions = sessionsUpTo(until, count, config.marketClosures);
    if (sessions.length === 0) throw new UsageError(`no NYSE session up to ${until}`);
    // One ET day at a time: a day that is over is its summary, the rest its records.
    const per = await view.sessionKpis(sessions);
    reportSkipped(per.skipped, io);
    const rows = kpiRowsOf(per.kpis);
    io.stdout(
      (values.json ? JSON.stringify({ until, sessions: rows }, null, 2) : formatKpiTable(rows)) + '\n',
    );
    return EXIT.ok;
  },
});
