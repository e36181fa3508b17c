// `aegis-pt-health gate --phase pre|post`: the runtime's #93 deploy gate (not the monitor's own deploy).
import { formatGateReport, GATE_FRESH_SEC, GATE_SKEW_SEC } from '../../lib/ops/gate';
import { GATE_CRITERIA } from '../../lib/ops/gate-criteria';
import { evaluateGate } from '../../lib/ops/gate-evaluate';
import { describeRules } from '../../lib/ops/gate-evidence';
import { parseDetectorConfig } from '../../lambda/detector/config';
import {
  bundleConfigChanges,
  parseGateSettings,
  RECONCILE_MAX_AGE_VARIABLE,
} from '../../lib/ops/gate-settings';
import { parseDuration, SilenceError } from '../../lib/ops/silences';
import { rolloutRuns, watch, WATCH_DEFAULT_MS, WATCH_POLL_MS } from './gate-runs';
import { ArgumentError, defineCommand } from './definition';
import { EXIT, writeOutput } from './io';
import { parseInstant } from './instants';
import { observe, readBundle } from './observe';
import { listRuns, runStore, SOURCE_OPTIONS, type SourceValues } from './ops-sources';
import { GATE_WINDOW_HELP, windowAfterGate } from './gate-window';

export const command = defineCommand({
  usage: [
    'pre [--window 30m] [--runs-dir DIR | --bucket B | --stack S] [--out FILE] [--observation FILE|-] [--replay] [--profile NAME] [--json]',
    'post --baseline FILE [--deployed-at T] [--expect-task-definition ARN] [--runs-dir DIR | --bucket B | --stack S] [--observation FILE|-] [--replay] [--profile NAME] [--json]',
  ].map((u) => `--phase ${u}`),
  description: `The runbook's #93 gate for a deploy of the trading runtime (aegis-pt-core). Every criterion is
printed with the value seen; the detector's open events are criteria too: a critical or escalating one
is STOP, a warning is WAIT.

Every criterion is judged only on evidence that is present (reported, not null, well-typed), fresh (the
payload's generated_at at most ${GATE_FRESH_SEC}s before the observation; after the deploy, later than the new
task's start) and of this runtime (the service AEGIS_PT_SERVICE, default aegis-pt-core, in the cluster
AEGIS_PT_CLUSTER, on Fargate; every service, cluster, task and task definition ARN of the same account,
region and cluster, the cluster's when configured as an ARN; the service's tasks of its group; tasks
matched by full ARN). Evidence that is absent, stale or foreign makes
the criterion STOP (or WAIT where it says "not yet"), never PASS. ${RECONCILE_MAX_AGE_VARIABLE} (default
900) is how old a reconciliation proof may be in the session. An --observation or --baseline whose own
config would change a setting is refused (exit 2): the gate judges against the environment's settings.

pre (writes the observation to --out as the baseline for post):

${describeRules(GATE_CRITERIA.pre)}

post, the same on a new observation, plus the deploy judged as a transition (the baseline judged again,
the run records between the baseline and now read from --runs-dir, --bucket or --stack; live, the default
stack's; without them the rollout criteria WAIT):

${describeRules(GATE_CRITERIA.post.filter((r) => !GATE_CRITERIA.pre.includes(r)))}

The observation must be under ${GATE_FRESH_SEC}s old (clock skew ${GATE_SKEW_SEC}s); --replay re-judges a saved
one at its own time and says so. Without --observation it collects live. GO is not an approval: the
runbook requires action-time approval. Post's STOP means: do not accept the deploy, roll back or escalate.

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
    watch: {
      type: 'boolean',
      description: `post: judge again every ${WATCH_POLL_MS / 1000}s while the verdict is WAIT (the rollout's scheduled checks not in yet), until GO, STOP or the deadline`,
    },
    deadline: {
      type: 'string',
      value: 'DURATION',
      description: 'post with --watch: how long to keep judging (at most 2h)',
      absent: `${WATCH_DEFAULT_MS / 60_000}m`,
    },
    'expect-task-definition': {
      type: 'string',
      value: 'ARN',
      description:
        'post: the task definition the deploy was meant to bring (a rollback to an older revision needs it)',
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
    if (phase === 'pre' && (values.watch || values.deadline))
      throw new ArgumentError('--watch and --deadline are for --phase post');
    if (values.deadline !== undefined && !values.watch) throw new ArgumentError('--deadline needs --watch');
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
    const deadlineMs = io.now().getTime() + (values.deadline ? watchSpan(values.deadline) : WATCH_DEFAULT_MS);
    const settings = parseGateSettings(io.env);
    const operator = parseDetectorConfig(io.env);
    for (const [what, b] of [
      ['--observation', values.observation === undefined ? undefined : bundle],
      ['--baseline', baseline],
    ] as const) {
      const changed = b ? bundleConfigChanges(operator, b.config) : [];
      if (changed.length)
        throw new ArgumentError(
          `${what}: the bundle's config changes ${changed.join(', ')}: the gate judges against the operator's configuration (the environment), never one the evidence brings; remove the bundle's config or set the same in the environment`,
        );
    }
    let observed = { bundle, output, config };
    const judge = async () => {
      const runs =
        phase === 'post' && baseline
          ? await rolloutRuns(values, io, baseline.now, values.observation === undefined)
          : undefined;
      const { bundle, output, config } = observed;
      return evaluateGate(
        {
          ...settings,
          phase,
          bundle,
          output,
          config,
          wallNowMs: io.now().getTime(),
          replay: values.replay === true,
          ...(baseline ? { baseline } : {}),
          ...(deployedAtMs !== undefined ? { deployedAtMs } : {}),
          ...(values['expect-task-definition']
            ? { expectTaskDefinition: values['expect-task-definition'] }
            : {}),
          ...(runs ? { runs } : {}),
        },
        GATE_CRITERIA[phase],
      );
    };
    let report = values.watch
      ? await watch(io, deadlineMs, async (round) => {
          // Each later round is a new observation (live), or the same file against newer run records.
          if (round > 0)
            observed = await observe(io, values.observation, values.profile ?? io.env.AWS_PROFILE);
          return judge();
        })
      : await judge();
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

const MAX_WATCH_MS = 2 * 3_600_000;

function watchSpan(text: string): number {
  let ms: number;
  try {
    ms = parseDuration('--deadline', text);
  } catch (err) {
    if (err instanceof SilenceError) throw new ArgumentError(err.message);
    throw err;
  }
  if (ms > MAX_WATCH_MS) throw new ArgumentError(`--deadline ${text}: at most 2h`);
  return ms;
}
