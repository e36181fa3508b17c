// `aegis-pt-health gate --phase pre|post`: the runbook's minimum deploy gate.
import { parseArgs } from 'node:util';
import { evaluateGate, formatGateReport } from '../../lib/ops/gate';
import { EXIT, UsageError, type CliIo } from './io';
import { observe, readBundle } from './observe';

export const GATE_HELP = `Usage: aegis-pt-health gate --phase pre [--out FILE] [--observation FILE|-] [--profile NAME] [--json]
       aegis-pt-health gate --phase post --baseline FILE [--observation FILE|-] [--profile NAME] [--json]

pre: exactly one AWS runtime task, Synology containers exited, fresh heartbeat, pending_exits=0,
stuck_exits=0, every reconcile flag false, no send_outcome_unknown, no session conflict; pending
orders preferably 0 (one normal-age entry order: WAIT; an exit order working: STOP). Writes the
observation to --out (default gate-pre-<time>.json) as the baseline for post.
post: the same, plus no new broker_import_positions symbol and no new unknown fill against the
baseline, gateway healthy, reconciliation OK. Each criterion is printed with the value seen.
Without --observation it collects live. Exit codes: 0 GO, 4 WAIT or STOP, 2 bad usage or input.`;

export async function gateCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      phase: { type: 'string' },
      baseline: { type: 'string' },
      out: { type: 'string' },
      observation: { type: 'string' },
      profile: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout(GATE_HELP + '\n');
    return EXIT.ok;
  }
  const phase = values.phase;
  if (phase !== 'pre' && phase !== 'post') throw new UsageError('--phase must be pre or post');
  if (phase === 'post' && !values.baseline)
    throw new UsageError('--phase post needs --baseline FILE (the pre-deploy observation)');
  const baseline =
    phase === 'post' ? await readBundle(io, values.baseline as string, 'the baseline') : undefined;
  const { bundle, output, config } = await observe(
    io,
    values.observation,
    values.profile ?? io.env.AWS_PROFILE,
  );
  const report = evaluateGate(phase, bundle, output, config, baseline);
  if (phase === 'pre') {
    const out = values.out ?? `gate-pre-${output.checked_at.replace(/[:]/g, '')}.json`;
    await io.writeFile(out, JSON.stringify(bundle, null, 2) + '\n');
    io.stderr(`pre-deploy observation written to ${out}\n`);
  }
  io.stdout((values.json ? JSON.stringify(report, null, 2) : formatGateReport(report)) + '\n');
  return report.verdict === 'go' ? EXIT.ok : EXIT.negative;
}
