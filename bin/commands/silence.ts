// `aegis-pt-health silence add|list|expire`: the operators' silences in the state bucket (or --runs-dir).
import { parseArgs } from 'node:util';
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
import { EXIT, UsageError, type CliIo } from './io';
import { parseInstant, runStore, SOURCE_HELP, SOURCE_OPTIONS, type SourceValues } from './ops-sources';

export const SILENCE_HELP = `Usage: aegis-pt-health silence add --code C[,C...] [--signature S] (--for 30m | --until T) --reason TEXT
                                  [--from T] [--by NAME] [--include-escalations]
       aegis-pt-health silence list [--all]
       aegis-pt-health silence expire ID [--by NAME]

A silence holds back notifications of the events it names, at most 24 h: they are still evaluated,
recorded, counted and shown by snapshot and report, and an event still open when the silence ends (or
is expired) is told then, as new. An event the runbook says to escalate for is not held back unless
--include-escalations is given. Every notification sent while a silence is active says so.
Times: ISO-8601 with an offset, or now. --by defaults to $USER.
${SOURCE_HELP}`;

export async function silenceStore(values: SourceValues, io: CliIo): Promise<SilenceStore> {
  return (await runStore(values, io)) as unknown as SilenceStore;
}

export async function silenceCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...SOURCE_OPTIONS,
      code: { type: 'string' },
      signature: { type: 'string' },
      for: { type: 'string' },
      until: { type: 'string' },
      from: { type: 'string' },
      reason: { type: 'string' },
      by: { type: 'string' },
      'include-escalations': { type: 'boolean' },
      all: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    io.stdout(SILENCE_HELP + '\n');
    return EXIT.ok;
  }
  const [action, ...rest] = positionals;
  const now = io.now();
  const by = values.by ?? io.env.USER ?? 'operator';
  try {
    if (action === 'add') {
      if (rest.length > 0) throw new UsageError(`unexpected argument ${rest[0]}`);
      if ((values.for === undefined) === (values.until === undefined))
        throw new UsageError('give exactly one of --for DURATION or --until TIME');
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
        (values.json ? JSON.stringify(silence, null, 2) : `added ${formatSilence(silence, now.getTime())}`) +
          '\n',
      );
      return EXIT.ok;
    }
    if (action === 'list') {
      const list = await listSilences(await silenceStore(values, io), now.getTime(), values.all === true);
      if (values.json) io.stdout(JSON.stringify(list, null, 2) + '\n');
      else
        io.stdout(
          (list.length ? list.map((s) => formatSilence(s, now.getTime())).join('\n') : 'no silences') + '\n',
        );
      return EXIT.ok;
    }
    if (action === 'expire') {
      if (rest.length !== 1) throw new UsageError('silence expire takes one silence ID');
      const expired = await expireSilence(await silenceStore(values, io), rest[0], by, now.getTime());
      io.stdout(
        (values.json
          ? JSON.stringify(expired, null, 2)
          : `expired ${formatSilence(expired, now.getTime())}`) + '\n',
      );
      return EXIT.ok;
    }
    throw new UsageError(`silence needs add, list or expire, got ${JSON.stringify(action ?? '')}`);
  } catch (err) {
    if (err instanceof SilenceError) throw new UsageError(err.message);
    throw err;
  }
}
