// `aegis-pt-health report`: one session as a self-contained HTML page.
import { isCalendarDate, parseDetectorConfig } from '../../lambda/detector/config';
import { sessionOn } from '../../lambda/detector/market-clock';
import { etWallToUtc, formatUtc } from '../../lambda/detector/time';
import { kpiRowsOf, sessionKpis, sessionsUpTo } from '../../lambda/digest/kpi';
import { checkGaps, GAP_GRACE_MINUTES } from '../../lib/ops/gap';
import { renderReport } from '../../lib/ops/report';
import type { Silence } from '../../lambda/detector/silences';
import { DEFAULT_STACK_NAME } from '../../lambda/shared/stack-outputs';
import { ArgumentError, defineCommand } from './definition';
import { EXIT, writeOutput } from './io';
import { collectRuns, reportSkipped, runStore, SOURCE_OPTIONS } from './ops-sources';
import { CRON_OPTION, deployedSchedules } from './schedule-options';

/** How many sessions the report's KPI trend looks back over (this one included). */
const KPI_SESSIONS = 10;

export const command = defineCommand({
  description: `Writes one self-contained HTML file (no external requests) for the session of that date. It opens
with what happened in a sentence or two (what escalated or alerted, when, for how long, resolved or
still open; what each silence or deploy window held back; whether the schedules covered the day), then
a time axis in ET with the open, close and open grace marked; charts of heartbeat age, pending orders
and exits, 10197 notices and market-data status, ECS running count; every event as a marker coloured by
severity with its first-seen and resolved times; each run's decision; the schedule coverage with missing
windows highlighted; and each notification with who was told (page, email, chat).`,
  options: {
    date: { type: 'string', value: 'YYYY-MM-DD', description: 'the session date (ET)', required: true },
    out: {
      type: 'string',
      value: 'FILE',
      description: 'the HTML file to write',
      absent: 'report-<date>.html',
    },
    cron: {
      ...CRON_OPTION,
      absent: "the deployed function's crons (offline: the defaults)",
    },
    ...SOURCE_OPTIONS,
  },
  exitCodes: {
    0: 'the report was written',
    4: 'no run records for that date (the page is still written)',
  },
  examples: ['report --runs-dir .demo --date 2026-06-01', 'report --date 2026-06-01 --profile aegis-ops'],
  async run({ values }, io) {
    const date = values.date;
    if (!isCalendarDate(date))
      throw new ArgumentError(`--date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
    const config = parseDetectorConfig(io.env);
    const { schedules } = await deployedSchedules(values, io);
    const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const from = etWallToUtc(date, 0, 0);
    const to = etWallToUtc(next, 0, 0) - 1;
    const store = await runStore(values, io);
    const view = store.records.view();
    const listing = await collectRuns(view, { from: formatUtc(from), to: formatUtc(to) }, io);
    // The KPI trend compares this session with the ones before it: theirs from their day summaries.
    const kpiSessions = sessionsUpTo(date, KPI_SESSIONS, config.marketClosures);
    const earlier = await view.sessionKpis(kpiSessions.filter((s) => s.date !== date));
    reportSkipped(earlier.skipped, io);
    const kpis = kpiRowsOf([
      ...earlier.kpis,
      ...kpiSessions.filter((s) => s.date === date).map((s) => sessionKpis(s, listing.records)),
    ]);
    const gap = checkGaps(
      listing.records,
      schedules,
      from,
      Math.min(to, io.now().getTime()),
      GAP_GRACE_MINUTES,
      io.now().getTime(),
    );
    // The stored silences say when a window was closed early; unreadable, the runs' own copies serve.
    const stored = await store.readSilences();
    const source =
      values['runs-dir'] ??
      `the state bucket of ${values.bucket ?? `stack ${values.stack ?? DEFAULT_STACK_NAME}`}`;
    const html = renderReport({
      date,
      session: sessionOn(date, config.marketClosures),
      openGraceMinute: config.openGraceMinute,
      records: listing.records,
      kpis,
      gap,
      ...(stored.problem ? {} : { silences: stored.silences as Silence[] }),
      generated: { at: io.now().toISOString(), from: source },
    });
    const out = values.out ?? `report-${date}.html`;
    await writeOutput(out, html, 'the report');
    io.stdout(
      values.json
        ? JSON.stringify({
            file: out,
            runs: listing.records.length,
            missing_windows: gap.missing_windows.length,
          }) + '\n'
        : `wrote ${out}: ${listing.records.length} runs, ${gap.covered}/${gap.expected} windows covered\n`,
    );
    // Like gap: no evidence is a negative answer, never an empty page that looks like a quiet day.
    if (listing.records.length === 0) {
      io.stderr(
        `no run records for ${date} in ${source}: nothing was checked that day (the page shows ${gap.missing_windows.length} schedule window(s) missing)\n`,
      );
      return EXIT.negative;
    }
    return EXIT.ok;
  },
});
