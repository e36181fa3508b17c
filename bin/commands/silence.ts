// `aegis-pt-health silence add|list|expire`: the operators' silences in the state bucket (or --runs-dir).
import type { SilenceStore } from '../../lambda/ports';
import {
  addSilence,
  buildSilence,
  ESCALATING_CODES,
  expireSilence,
  formatSilence,
  listSilences,
  parseDuration,
  SilenceError,
} from '../../lib/ops/silences';
import { ArgumentError, defineCommand } from './definition';
import { EXIT, UsageError, type CliIo } from './io';
import { parseInstant, TIMES_HELP } from './instants';
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
  description: `A silence holds back notifications of the events it names, at most 24 h: they are still
evaluated, recorded, counted and shown by snapshot and report, and an event still open when the silence
ends (or is expired) is told then, as new. An event the runbook says to escalate for is not held back
unless --include-escalations is given. Every notification sent while a silence is active says so.

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
    by: { type: 'string', value: 'NAME', description: 'add, expire: who', absent: '$USER' },
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
    const by = values.by ?? io.env.USER ?? 'operator';
    try {
      if (action === 'add') {
        if (rest.length > 0) throw new ArgumentError(`unexpected argument ${rest[0]}`);
        if ((values.for === undefined) === (values.until === undefined))
          throw new ArgumentError('give exactly one of --for DURATION or --until TIME');
        const startsMs = values.from === undefined ? now.getTime() : parseInstant('--from', values.from, now);
        const endsMs =
          values.for !== undefined
            ? startsMs + parseDuration('--for', values.for)
            : parseInstant('--until', values.until, now);
        const silence = buildSilence(
          {
            codes: (values.code ?? '').split(','),
            signature: values.signature,
            startsMs,
            endsMs,
            reason: values.reason ?? '',
            by,
            includeEscalations: values['include-escalations'] === true,
          },
          now.getTime(),
        );
        const escalating = silence.codes.filter((c) => ESCALATING_CODES.includes(c));
        if (silence.include_escalations && escalating.length > 0) {
          io.stderr(
            `warning: --include-escalations: ${escalating.join(', ')} will not be told even when the runbook says stop and escalate, until ${silence.ends_at}\n`,
          );
        }
        await addSilence(await silenceStore(values, io), silence, now.getTime());
        io.stdout(
          (values.json
            ? JSON.stringify(silence, null, 2)
            : `added ${formatSilence(silence, now.getTime())}`) + '\n',
        );
        return EXIT.ok;
      }
      if (action === 'list') {
        const list = await listSilences(await silenceStore(values, io), now.getTime(), values.all === true);
        if (values.json) io.stdout(JSON.stringify(list, null, 2) + '\n');
        else
          io.stdout(
            (list.length ? list.map((s) => formatSilence(s, now.getTime())).join('\n') : 'no silences') +
              '\n',
          );
        return EXIT.ok;
      }
      if (action === 'expire') {
        if (rest.length !== 1) throw new ArgumentError('silence expire takes one silence ID');
        const expired = await expireSilence(await silenceStore(values, io), rest[0], by, now.getTime());
        io.stdout(
          (values.json
            ? JSON.stringify(expired, null, 2)
            : `expired ${formatSilence(expired, now.getTime())}`) + '\n',
        );
        return EXIT.ok;
      }
      throw new ArgumentError(`silence needs add, list or expire, got ${JSON.stringify(action ?? '')}`);
    } catch (err) {
      if (err instanceof SilenceError) throw new UsageError(err.message);
      throw err;
    }
  },
});
