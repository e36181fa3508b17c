// `aegis-pt-health calendar`: the NYSE regular sessions in a date range.
import { isCalendarDate, parseDetectorConfig } from '../../lambda/detector/config';
import { sessionsBetween } from '../../lambda/detector/market-clock';
import { ArgumentError, defineCommand } from './definition';
import { EXIT } from './io';

const MAX_DAYS = 366 * 50;

export const command = defineCommand({
  description: `Prints [{"date","open","close","early_close"}] as JSON for every NYSE regular session in the
range, open and close in UTC. Extra closures come from AEGIS_PT_MARKET_CLOSURES. The range may span at
most 50 years.`,
  options: {
    from: { type: 'string', value: 'YYYY-MM-DD', description: 'the first date', required: true },
    to: { type: 'string', value: 'YYYY-MM-DD', description: 'the last date (inclusive)', required: true },
  },
  exitCodes: { 0: 'done (an empty list when the range holds no session)' },
  examples: ['calendar --from 2026-11-25 --to 2026-11-30'],
  async run({ values }, io) {
    const { from, to } = values;
    for (const [flag, value] of [
      ['--from', from],
      ['--to', to],
    ] as const) {
      if (!isCalendarDate(value))
        throw new ArgumentError(`${flag} must be a YYYY-MM-DD date, got ${JSON.stringify(value)}`);
    }
    if (from > to) throw new ArgumentError(`--from ${from} is after --to ${to}`);
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_DAYS) {
      throw new ArgumentError('the range may span at most 50 years');
    }
    const config = parseDetectorConfig(io.env);
    io.stdout(JSON.stringify(sessionsBetween(from, to, config.marketClosures), null, 2) + '\n');
    return EXIT.ok;
  },
});
