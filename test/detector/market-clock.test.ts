import { readFileSync } from 'node:fs';
import { clockAt, sessionOn, sessionsBetween } from '../../lambda/detector/market-clock';
import { sharedPath } from '../helpers/shared';

const ORACLE_CLOSURES = [
  '2001-09-11',
  '2001-09-12',
  '2001-09-13',
  '2001-09-14',
  '2004-06-11',
  '2007-01-02',
  '2012-10-29',
  '2012-10-30',
  '2018-12-05',
];

function oracle(): string[][] {
  return readFileSync(sharedPath('oracles/xnys-sessions.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
}

const OPTS = { openGraceMinute: 35, marketClosures: [] as string[] };

describe('NYSE sessions against the exchange_calendars XNYS oracle', () => {
  const rows = oracle();

  it('has the oracle rows to compare against', () => {
    expect(rows.length).toBeGreaterThan(5700);
    expect(rows[0][0]).toBe('2000-01-03');
  });

  it('matches every session 2000-01-03..2023-01-13 (open, close) with the ad-hoc closures passed in', () => {
    const ours = sessionsBetween(rows[0][0], rows[rows.length - 1][0], ORACLE_CLOSURES);
    expect(ours.map((s) => [s.date, s.open, s.close])).toEqual(rows);
  });

  it('differs from the oracle exactly on the ad-hoc closures when they are not passed', () => {
    const ours = new Set(sessionsBetween('2000-01-01', '2023-01-13').map((s) => s.date));
    const expected = new Set(rows.map((r) => r[0]));
    const extra = [...ours].filter((d) => !expected.has(d));
    expect(extra).toEqual(ORACLE_CLOSURES);
  });

  it('marks early closes at 13:00 ET, including Friday July 5 before 2013 and 2003-12-26', () => {
    expect(sessionOn('2002-07-05')).toMatchObject({ close: '2002-07-05T17:00:00Z', early_close: true });
    expect(sessionOn('2003-12-26')).toMatchObject({ early_close: true });
    expect(sessionOn('2013-07-03')).toMatchObject({ close: '2013-07-03T17:00:00Z', early_close: true });
    expect(sessionOn('2019-07-05')).toMatchObject({ early_close: false }); // Friday after 2013
  });
});

// The exchange's published holiday and early-close calendar for 2026-2028.
const PUBLISHED: Record<number, { holidays: string[]; early: string[] }> = {
  2026: {
    holidays: [
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-04-03',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03',
      '2026-09-07',
      '2026-11-26',
      '2026-12-25',
    ],
    early: ['2026-11-27', '2026-12-24'],
  },
  2027: {
    holidays: [
      '2027-01-01',
      '2027-01-18',
      '2027-02-15',
      '2027-03-26',
      '2027-05-31',
      '2027-06-18',
      '2027-07-05',
      '2027-09-06',
      '2027-11-25',
      '2027-12-24',
    ],
    early: ['2027-11-26'],
  },
  2028: {
    holidays: [
      '2028-01-17',
      '2028-02-21',
      '2028-04-14',
      '2028-05-29',
      '2028-06-19',
      '2028-07-04',
      '2028-09-04',
      '2028-11-23',
      '2028-12-25',
    ],
    early: ['2028-07-03', '2028-11-24'],
  },
};

describe.each(Object.entries(PUBLISHED))('published NYSE calendar %s', (year, { holidays, early }) => {
  const sessions = sessionsBetween(`${year}-01-01`, `${year}-12-31`);
  const dates = new Set(sessions.map((s) => s.date));

  it('closes on every published holiday and on no other weekday', () => {
    const closedWeekdays: string[] = [];
    for (
      let t = Date.parse(`${year}-01-01T12:00:00Z`);
      t < Date.parse(`${Number(year) + 1}-01-01T00:00:00Z`);
      t += 86_400_000
    ) {
      const d = new Date(t);
      const date = d.toISOString().slice(0, 10);
      if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && !dates.has(date)) closedWeekdays.push(date);
    }
    expect(closedWeekdays).toEqual(holidays);
  });

  it('closes early exactly on the published early-close days', () => {
    expect(sessions.filter((s) => s.early_close).map((s) => s.date)).toEqual(early);
  });
});

describe('DST both ways', () => {
  it.each([
    ['2026-03-06', '2026-03-06T14:30:00Z', '2026-03-06T21:00:00Z'], // Friday before spring forward
    ['2026-03-09', '2026-03-09T13:30:00Z', '2026-03-09T20:00:00Z'], // Monday after
    ['2026-10-30', '2026-10-30T13:30:00Z', '2026-10-30T20:00:00Z'], // Friday before fall back
    ['2026-11-02', '2026-11-02T14:30:00Z', '2026-11-02T21:00:00Z'], // Monday after
    ['2006-04-03', '2006-04-03T13:30:00Z', '2006-04-03T20:00:00Z'], // pre-2007 rule: first Sunday of April
    ['2006-03-13', '2006-03-13T14:30:00Z', '2006-03-13T21:00:00Z'],
  ])('%s opens %s and closes %s', (date, open, close) => {
    expect(sessionOn(date)).toMatchObject({ open, close });
  });

  it('renders ET with the right offset on each side of the change', () => {
    expect(clockAt(Date.parse('2026-03-09T14:00:00Z'), OPTS).et).toBe('2026-03-09T10:00:00-04:00');
    expect(clockAt(Date.parse('2026-03-06T15:00:00Z'), OPTS).et).toBe('2026-03-06T10:00:00-05:00');
    expect(clockAt(Date.parse('2026-11-01T05:30:00Z'), OPTS).et).toBe('2026-11-01T01:30:00-04:00');
    expect(clockAt(Date.parse('2026-11-01T06:30:00Z'), OPTS).et).toBe('2026-11-01T01:30:00-05:00');
  });
});

describe('clockAt', () => {
  const at = (iso: string, opts = OPTS) => clockAt(Date.parse(iso), opts);

  it('gives pre_open, open and after_close on a trading day, with the half-open [open, close)', () => {
    expect(at('2026-06-01T13:29:59Z').market).toBe('pre_open');
    expect(at('2026-06-01T13:30:00Z').market).toBe('open');
    expect(at('2026-06-01T19:59:59Z').market).toBe('open');
    expect(at('2026-06-01T20:00:00Z').market).toBe('after_close');
  });

  it('is closed with a null session on weekends and holidays', () => {
    expect(at('2026-06-06T15:00:00Z')).toMatchObject({
      market: 'closed',
      session: null,
      past_open_grace: false,
    });
    expect(at('2026-11-26T15:00:00Z')).toMatchObject({ market: 'closed', session: null });
  });

  it('closes at 13:00 ET on an early-close day', () => {
    expect(at('2026-11-27T17:59:59Z').market).toBe('open');
    expect(at('2026-11-27T18:00:00Z').market).toBe('after_close');
    expect(at('2026-11-27T18:00:00Z').session).toMatchObject({
      early_close: true,
      close: '2026-11-27T18:00:00Z',
    });
  });

  it('turns past_open_grace on at 09:35 ET by default and follows OPEN_GRACE_MINUTE', () => {
    expect(at('2026-06-01T13:34:59Z').past_open_grace).toBe(false);
    expect(at('2026-06-01T13:35:00Z').past_open_grace).toBe(true);
    expect(at('2026-06-01T13:30:00Z', { ...OPTS, openGraceMinute: 0 }).past_open_grace).toBe(true);
    expect(at('2026-06-01T13:44:00Z', { ...OPTS, openGraceMinute: 45 }).past_open_grace).toBe(false);
    expect(at('2026-06-01T20:30:00Z').past_open_grace).toBe(false);
  });

  it('treats extra closures (a national day of mourning) as closed', () => {
    expect(at('2026-06-01T15:00:00Z', { ...OPTS, marketClosures: ['2026-06-01'] })).toMatchObject({
      market: 'closed',
      session: null,
    });
  });

  it('renders UTC, ET and JST of the same instant', () => {
    expect(at('2026-06-01T14:05:00Z')).toMatchObject({
      utc: '2026-06-01T14:05:00Z',
      et: '2026-06-01T10:05:00-04:00',
      jst: '2026-06-01T23:05:00+09:00',
    });
  });

  it('uses the ET date near midnight UTC', () => {
    // 01:00 UTC Tuesday is still Monday evening in New York.
    expect(at('2026-06-02T01:00:00Z')).toMatchObject({
      market: 'after_close',
      session: { date: '2026-06-01' },
    });
  });
});
