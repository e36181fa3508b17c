// Review of issue #21's "consistent": the proof counts only when matched = internal_count = broker_count,
// as the criterion says; more matched than either side holds does not reconcile either.
import { judge, pre } from './gate-fixtures';

const proof = (matched: number, internal_count: number, broker_count: number) => ({
  at: '2026-06-01T14:03:30Z',
  ok: true,
  matched,
  internal_count,
  broker_count,
});

describe('reconciliation OK: the numbers reconcile both ways', () => {
  it.each([
    ['matched above both counts', proof(9, 8, 8)],
    ['matched far above both counts', proof(1000, 0, 0)],
    ['matched below both counts', proof(7, 8, 8)],
  ])('STOP on %s, whatever ok says', (_name, last_position_reconcile) => {
    const r = judge(pre({ status: { last_position_reconcile } }));
    expect(r.criteria.find((c) => c.name === 'reconciliation OK')).toMatchObject({
      outcome: 'fail',
      seen: expect.stringMatching(/: matched \d+ (above|below) \d+: an ok that does not reconcile is drift$/),
    });
    expect(r.verdict).toBe('stop');
  });

  it('GO when matched = internal_count = broker_count, zero included', () => {
    expect(judge(pre({ status: { last_position_reconcile: proof(8, 8, 8) } })).verdict).toBe('go');
    expect(judge(pre({ status: { last_position_reconcile: proof(0, 0, 0) } })).verdict).toBe('go');
  });
});
