// `aegis-pt-health calendar`: the NYSE regular sessions in a date range.
import { parseArgs } from 'node:util';
import { isCalendarDate, parseDetectorConfig } from '../../lambda/detector/config';
import { sessionsBetween } from '../../lambda/detector/market-clock';
import { EXIT, UsageError, type CliIo } from './io';

export const CALENDAR_HELP = `Usage: aegis-pt-health calendar --from YYYY-MM-DD --to YYYY-MM-DD

Prints [{"date","open","close","early_close"}] for every NYSE regular session in the range,
open and close in UTC. Extra closures come from AEGIS_PT_MARKET_CLOSURES.`;

const MAX_DAYS = 366 * 50;

export async function calendarCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    io.stdout(CALENDAR_HELP + '\n');
    return EXIT.ok;
  }
  const { from, to } = values;
  if (!from || !to) throw new UsageError('calendar needs --from and --to (YYYY-MM-DD)');
  for (const [flag, value] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    if (!isCalendarDate(value))
      throw new UsageError(`${flag} must be a YYYY-MM-DD date, got ${JSON.stringify(value)}`);
  }
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_DAYS) {
    throw new UsageError('the range may span at most 50 years');
  }
  const config = parseDetectorConfig(io.env);
  io.stdout(JSON.stringify(sessionsBetween(from, to, config.marketClosures), null, 2) + '\n');
  return EXIT.ok;
}
