// `aegis-pt-health gate --phase pre|post`: the runtime's #93 deploy gate (not the monitor's own deploy).
import { evaluateGate, formatGateReport, GATE_FRESH_SEC, GATE_SKEW_SEC } from '../../lib/ops/gate';
import { GATE_CRITERIA } from '../../lib/ops/gate-criteria';
import { ArgumentError, defineCommand } from './definition';
import { EXIT, writeOutput } from './io';
import { parseInstant } from './instants';
import { observe, readBundle } from './observe';
import { listRuns, runStore, SOURCE_OPTIONS, type SourceValues } from './ops-sources';
import { GATE_WINDOW_HELP, windowAfterGate } from './gate-window';

export const command = defineCommand({
  usage: [
    'pre [--window 30m] [--runs-dir DIR | --bucket B | --stack S] [--out FILE] [--observation FILE|-] [--replay] [--profile NAME] [--json]',
    'post --baseline FILE [--deployed-at T] [--runs-dir DIR | --bucket B | --stack S] [--observation FILE|-] [--replay] [--profile NAME] [--json]',
  ].map((u) => `--phase ${u}`),
  description: `The runbook's #93 gate for a deploy of the trading runtime (aegis-pt-core). Every criterion is
printed with the value seen; the detector's open events are criteria too: a critical or escalating one
is STOP, a warning is WAIT.

pre: exactly one RUNNING service task (1/1/0), Synology exited, runtime on aws-fargate, heartbeat from
that task and under ${GATE_FRESH_SEC}s old (whatever AEGIS_PT_HEARTBEAT_STALE_SEC says; a future one is not
fresh), pending_exits=0, stuck_exits=0, reconcile flags false and reconciliation OK, no unknown fill /
send_outcome_unknown / broker confirmation, no session conflict, no deployment under way; pending orders
preferably 0 (one normal-age entry order: WAIT; an exit order working: STOP). A field not reported is no
evidence. Writes the observation to --out as the baseline for post.

post: the same on a new observation, plus: taken after the baseline and after the deploy start
(--deployed-at); a new deployment, rollout COMPLETED, no rollback; a new task started after the deploy;
heartbeat and reconciliation proof from after the deploy; ibkr-gateway RUNNING/HEALTHY and lt-ibkr-trader
RUNNING; no broker import that is new by symbol, tags or quantity.

The observation must be under ${GATE_FRESH_SEC}s old (clock skew ${GATE_SKEW_SEC}s); --replay re-judges a saved
one at its own time and says so. Without --observation it collects live. GO is not an approval: the
runbook requires action-time approval.

${GATE_WINDOW_HELP}`,
  options: {
    phase: { type: 'string', value: 'pre|post', description: 'before or after the deploy', required: true },
    baseline: { type: 'string', value: 'FILE', description: 'post: the observation the pre gate wrote' },
    'deployed-at': {
      type: 'string',
      value: 'T',
      description:
        'post: when the deploy started, an ISO-8601 time with an offset or a relative time (-20m); a bare date is refused',
      absent: "the PRIMARY deployment's createdAt",
    },
    out: {
      type: 'string',
      value: 'FILE',
      description: 'pre: where the baseline observation is written',
      absent: 'gate-pre-<time>.json',
    },
    observation: {
      type: 'string',
      value: 'FILE|-',
      description: 'judge this observation bundle instead of collecting live (- is stdin)',
    },
    replay: {
      type: 'boolean',
      description: 're-judge a saved observation at its own time (the report says so)',
    },
    window: {
      type: 'string',
      value: 'DURATION',
      description:
        'pre: on GO, open a deploy window this long (e.g. 30m; at most 2h, never past the session close; default is 30m)',
    },
    ...SOURCE_OPTIONS,
  },
  exitCodes: { 0: 'GO', 4: 'WAIT or STOP' },
  examples: [
    'gate --phase pre --window 30m --profile aegis-ops',
    'gate --phase post --baseline gate-pre-2026-06-01T182800Z.json --profile aegis-ops',
  ],
  async run({ values }, io) {
    const phase = values.phase;
    if (phase !== 'pre' && phase !== 'post')
      throw new ArgumentError(`--phase must be pre or post, got ${JSON.stringify(phase)}`);
    if (phase === 'post' && !values.baseline)
      throw new ArgumentError('--phase post needs --baseline FILE (the pre-deploy observation)');
    if (phase === 'pre' && values['deployed-at'])
      throw new ArgumentError('--deployed-at is for --phase post');
    const baseline =
      phase === 'post' ? await readBundle(io, values.baseline as string, 'the baseline') : undefined;
    const deployedAtMs = values['deployed-at']
      ? parseInstant('--deployed-at', values['deployed-at'], io.now(), { exact: true })
      : undefined;
    const { bundle, output, config } = await observe(
      io,
      values.observation,
      values.profile ?? io.env.AWS_PROFILE,
    );
    let report = evaluateGate(
      {
        phase,
        bundle,
        output,
        config,
        wallNowMs: io.now().getTime(),
        replay: values.replay === true,
        ...(baseline ? { baseline } : {}),
        ...(deployedAtMs !== undefined ? { deployedAtMs } : {}),
      },
      GATE_CRITERIA[phase],
    );
    const windowed = await windowAfterGate({ phase, report, values, baseline, deployedAtMs }, io, {
      runStore: (v: SourceValues) => runStore(v, io),
      listRuns,
    });
    report = windowed.report;
    if (phase === 'pre') {
      const out = values.out ?? `gate-pre-${output.checked_at.replace(/[:]/g, '')}.json`;
      const saved = windowed.window ? { ...bundle, deploy_window: windowed.window } : bundle;
      await writeOutput(out, JSON.stringify(saved, null, 2) + '\n', 'the observation');
      io.stderr(`pre-deploy observation written to ${out}\n`);
    }
    io.stdout((values.json ? JSON.stringify(report, null, 2) : formatGateReport(report)) + '\n');
    return report.verdict === 'go' ? EXIT.ok : EXIT.negative;
  },
});
