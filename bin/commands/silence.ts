// `aegis-pt-health silence add|list|expire`: the operators' silences in the state bucket (or --runs-dir).
import { parseDetectorConfig } from '../../lambda/detector/config';
import { SILENCE_LIMITS, type Silence } from '../../lambda/detector/silences';
import type { SilenceStore } from '../../lambda/ports';
import { formatVerdict, listSilences, verdictJson } from '../../lib/ops/silence-list';
import {
  addSilence,
  buildSilence,
  expireSilence,
  formatSilence,
  parseDuration,
  SilenceError,
  stillTold,
} from '../../lib/ops/silences';
import { ArgumentError, defineCommand } from './definition';
import { EXIT, UsageError, type CliIo } from './io';
import { parseInstant, TIMES_HELP } from './instants';
import { operatorStamp } from './operator-identity';
import { runStore, SOURCE_OPTIONS, type SourceValues } from './ops-sources';

export async function silenceStore(values: SourceValues, io: CliIo): Promise<SilenceStore> {
  return (await runStore(values, io)) as unknown as SilenceStore;
}

export const command = defineCommand({
  usage: [
    'add --code C[,C...] [--signature S] (--for 30m | --until T) --reason TEXT [--from T] [--by NAME] [--include-escalations]',
    'list [--all]',
    'expire ID [--by NAME]',
  ],
  positionals: 'add|list|expire [ID]',
  description: `A silence holds back notifications of the events it names: they are still evaluated,
recorded, counted and shown by snapshot and report, and an event still open when the silence ends (or is
expired) is told then, as new. The monitor enforces the same rules as this command, on every check: a
silence lasts at most 24 h; silences of one code added before the previous one ended form a chain that
keeps it quiet at most 24 h in all (add a new one after the last has ended to go on); codes must be in the
catalog; an event the runbook says to escalate for is held back only with --include-escalations, so a
silence of codes that always escalate (stuck_exits, unknown_fill...) without it would hold nothing back
and is refused. Whatever breaks a rule is refused here and, written by other means, does not apply and is
told to the operators. Every notification sent while a silence is active says so. The creator and
whoever expires a silence are recorded as AWS names them (STS); with --runs-dir as local:NAME.
list shows each entry's verdict (ACTIVE, PENDING, ENDED, REFUSED and why, MALFORMED); expire '#N'
removes a malformed entry. Limits: ${SILENCE_LIMITS.entries} silences, ${SILENCE_LIMITS.fileBytes / 1024} KiB, a reason of ${SILENCE_LIMITS.reasonChars} characters.

${TIMES_HELP}`,
  options: {
    code: { type: 'string', value: 'C[,C...]', description: 'add: the event codes to hold back' },
    signature: { type: 'string', value: 'S', description: 'add: only the event with this signature' },
    for: { type: 'string', value: 'DURATION', description: 'add: how long (30m, 2h; at most 24h)' },
    until: { type: 'string', value: 'T', description: 'add: when it ends (instead of --for)' },
    from: { type: 'string', value: 'T', description: 'add: when it starts', absent: 'now' },
    reason: {
      type: 'string',
      value: 'TEXT',
      description: 'add: why (shown in every notification it touches)',
    },
    by: {
      type: 'string',
      value: 'NAME',
      description: 'add, expire with --runs-dir only: recorded as local:NAME (on AWS: your STS identity)',
      absent: '$USER',
    },
    'include-escalations': {
      type: 'boolean',
      description: 'add: hold back escalating events too (stuck exit, unknown fill...)',
    },
    all: { type: 'boolean', description: 'list: expired and ended silences too' },
    ...SOURCE_OPTIONS,
  },
  exitCodes: { 0: 'done' },
  examples: [
    "silence add --code pending_order_buildup --for 2h --reason 'broker maintenance' --profile aegis-ops",
    'silence list --runs-dir .demo --all',
  ],
  async run({ values, positionals }, io) {
    const [action, ...rest] = positionals;
    const now = io.now();
    const nowMs = now.getTime();
    const closures = parseDetectorConfig(io.env).marketClosures;
    try {
      if (action === 'add') {
        if (rest.length > 0) throw new ArgumentError(`unexpected argument ${rest[0]}`);
        if ((values.for === undefined) === (values.until === undefined))
          throw new ArgumentError('give exactly one of --for DURATION or --until TIME');
        const plan = (at: Date) => {
          const startsMs = values.from === undefined ? at.getTime() : parseInstant('--from', values.from, at);
          const endsMs =
            values.for !== undefined
              ? startsMs + parseDuration('--for', values.for)
              : parseInstant('--until', values.until, at);
          return {
            codes: (values.code ?? '').split(','),
            signature: values.signature,
            startsMs,
            endsMs,
            reason: values.reason ?? '',
            includeEscalations: values['include-escalations'] === true,
          };
        };
        plan(now); // a mistyped time is refused before any AWS call
        // "now" is AWS's: the monitor judges created_at by its own clock, not this machine's.
        const stamp = await operatorStamp(values, io);
        const silence = buildSilence({ ...plan(new Date(stamp.nowMs)), by: stamp.by }, stamp.nowMs, closures);
        for (const line of stillTold(silence)) io.stderr(`warning: ${line}\n`);
        await addSilence(await silenceStore(values, io), silence, stamp.nowMs, closures);
        io.stdout(
          (values.json ? JSON.stringify(silence, null, 2) : `added ${formatSilence(silence, stamp.nowMs)}`) +
            '\n',
        );
        return EXIT.ok;
      }
      if (action === 'list') {
        const listing = await listSilences(
          await silenceStore(values, io),
          nowMs,
          values.all === true,
          closures,
        );
        for (const w of listing.warnings) io.stderr(`warning: ${w}\n`);
        if (values.json) io.stdout(JSON.stringify(listing.rows.map(verdictJson), null, 2) + '\n');
        else
          io.stdout(
            (listing.rows.length
              ? listing.rows.map((v) => formatVerdict(v, nowMs)).join('\n')
              : 'no silences') + '\n',
          );
        return EXIT.ok;
      }
      if (action === 'expire') {
        if (rest.length !== 1)
          throw new ArgumentError("silence expire takes one silence ID (or '#N' for a malformed entry)");
        const store = await silenceStore(values, io);
        const stamp = await operatorStamp(values, io);
        const result = await expireSilence(store, rest[0], stamp.by, stamp.nowMs);
        if (result.silence)
          io.stdout(
            (values.json
              ? JSON.stringify(result.silence, null, 2)
              : `expired ${formatSilence(result.silence as Silence, stamp.nowMs)}`) + '\n',
          );
        else io.stdout(`${result.removed ?? ''}\n`);
        return EXIT.ok;
      }
      throw new ArgumentError(`silence needs add, list or expire, got ${JSON.stringify(action ?? '')}`);
    } catch (err) {
      if (err instanceof SilenceError) throw new UsageError(err.message);
      throw err;
    }
  },
});
