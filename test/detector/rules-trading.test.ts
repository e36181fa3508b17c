import { AFTER_CLOSE, codes, event, infoCodes, IN_SESSION, run } from '../helpers/bundle';

const secondsBefore = (iso: string, s: number) => new Date(Date.parse(iso) - s * 1000).toISOString();
const order = (id: string, ageSec: number, purpose = 'entry') => ({
  order_id: id,
  symbol: 'COIN',
  purpose,
  submitted_at: secondsBefore(IN_SESSION, ageSec),
  last_tws_code: null,
});

describe('reconcile_pending', () => {
  it('raises one event per true flag, the flag in the signature', () => {
    const out = run({ status: { broker_reconcile_pending: true, entry_blocking_reconcile_pending: true } });
    expect(out.events.filter((e) => e.code === 'reconcile_pending')).toEqual([
      expect.objectContaining({
        severity: 'critical',
        escalate: false,
        signature: 'reconcile_pending:broker_reconcile_pending',
      }),
      expect.objectContaining({ signature: 'reconcile_pending:entry_blocking_reconcile_pending' }),
    ]);
  });

  it('a flag that stays true persists and escalates while another flag toggles', () => {
    const first = run({ status: { broker_reconcile_pending: true } });
    const second = run({
      now: '2026-06-01T14:10:00Z',
      status: { broker_reconcile_pending: true, position_reconcile_pending: true },
      previous: first,
    });
    const third = run({
      now: '2026-06-01T14:15:00Z',
      status: { broker_reconcile_pending: true },
      previous: second,
    });
    const broker = (o: typeof third) =>
      o.events.find((e) => e.signature === 'reconcile_pending:broker_reconcile_pending');
    expect(broker(second)).toMatchObject({ consecutive: 2, escalate: true });
    expect(broker(third)).toMatchObject({ consecutive: 3, escalate: true });
    expect(third.resolved_events.map((e) => e.signature)).toEqual([
      'reconcile_pending:position_reconcile_pending',
    ]);
  });

  it('does not raise when every flag is false', () => {
    expect(codes(run())).toEqual([]);
  });

  it('escalates when persisted', () => {
    const first = run({ status: { position_reconcile_pending: true } });
    const second = run({
      now: '2026-06-01T14:10:00Z',
      status: { position_reconcile_pending: true },
      previous: first,
    });
    expect(event(second, 'reconcile_pending')).toMatchObject({ escalate: true, consecutive: 2 });
  });
});

describe('position_mismatch', () => {
  it('raises and escalates when ok is false or the counts differ', () => {
    const notOk = run({
      status: { last_position_reconcile: { ok: false, internal_count: 8, broker_count: 8 } },
    });
    expect(event(notOk, 'position_mismatch')).toMatchObject({ escalate: true });
    const differ = run({
      status: { last_position_reconcile: { ok: true, internal_count: 8, broker_count: 7 } },
    });
    expect(codes(differ)).toEqual(['position_mismatch']);
  });

  // The spec: an "ok" whose numbers do not reconcile is drift (matched below either count).
  it.each([
    ['the issue: ok, matched 7 of 8 and 8', { ok: true, matched: 7, internal_count: 8, broker_count: 8 }],
    ['ok, matched 0 of 3 and 3', { ok: true, matched: 0, internal_count: 3, broker_count: 3 }],
    ['ok, matched 4 with only the internal count', { ok: true, matched: 4, internal_count: 5 }],
    ['ok, matched 1 with only the broker count', { ok: true, matched: 1, broker_count: 2 }],
    ['ok not reported, matched 7 of 8 and 8', { matched: 7, internal_count: 8, broker_count: 8 }],
  ])('raises and escalates on %s', (_name, proof) => {
    const out = run({ status: { last_position_reconcile: { at: '2026-06-01T14:03:30Z', ...proof } } });
    expect(codes(out)).toEqual(['position_mismatch']);
    expect(event(out, 'position_mismatch')).toMatchObject({ escalate: true, severity: 'critical' });
    expect(event(out, 'position_mismatch')?.summary).toMatch(/matched \d+ below \d+/);
  });

  it.each([
    ['matched equal to both counts', { ok: true, matched: 8, internal_count: 8, broker_count: 8 }],
    ['matched not reported', { ok: true, internal_count: 8, broker_count: 8 }],
    ['zero positions on both sides', { ok: true, matched: 0, internal_count: 0, broker_count: 0 }],
  ])('stays quiet on %s', (_name, proof) => {
    expect(codes(run({ status: { last_position_reconcile: proof } }))).toEqual([]);
  });

  it('does not raise on a clean proof or when the proof is not reported', () => {
    expect(
      codes(run({ status: { last_position_reconcile: { ok: true, internal_count: 3, broker_count: 3 } } })),
    ).toEqual([]);
    expect(codes(run({ now: AFTER_CLOSE, drop: ['last_position_reconcile'] }))).toEqual([]);
  });
});

describe('pending_order_buildup', () => {
  it('is warn at 2, critical at 3 (boundaries)', () => {
    expect(codes(run({ status: { pending_orders: 1 } }))).toEqual([]);
    expect(event(run({ status: { pending_orders: 2 } }), 'pending_order_buildup')?.severity).toBe('warn');
    expect(event(run({ status: { pending_orders: 3 } }), 'pending_order_buildup')?.severity).toBe('critical');
  });

  it('takes the larger of pending_orders and the number of details', () => {
    const out = run({
      status: { pending_orders: 0, pending_order_details: [order('1', 10), order('2', 10)] },
    });
    expect(event(out, 'pending_order_buildup')?.summary).toContain('pending_orders=2');
  });

  it('follows the configured thresholds', () => {
    const out = run({
      status: { pending_orders: 4 },
      config: { AEGIS_PT_PENDING_ORDER_WARN: 4, AEGIS_PT_PENDING_ORDER_CRITICAL: 5 },
    });
    expect(event(out, 'pending_order_buildup')?.severity).toBe('warn');
  });

  it('escalates when persisted at critical, not at warn', () => {
    const w1 = run({ status: { pending_orders: 2 } });
    const w2 = run({ now: '2026-06-01T14:07:00Z', status: { pending_orders: 2 }, previous: w1 });
    expect(event(w2, 'pending_order_buildup')).toMatchObject({ escalate: false, consecutive: 2 });
    expect(w2.new_events).toEqual([]);
    const c3 = run({ now: '2026-06-01T14:09:00Z', status: { pending_orders: 3 }, previous: w2 });
    expect(event(c3, 'pending_order_buildup')).toMatchObject({
      severity: 'critical',
      escalate: true,
      consecutive: 3,
    });
    expect(c3.new_events.map((e) => e.code)).toEqual(['pending_order_buildup']);
  });

  describe('a buildup that does not clear escalates at any level (PENDING_ORDER_CLEAR_SEC)', () => {
    const later = (sec: number) =>
      new Date(Date.parse(IN_SESSION) + sec * 1000).toISOString().replace('.000Z', 'Z');
    // Runs every 5 minutes so the previous output always counts (PERSIST_MAX_GAP_SEC 900).
    function chain(seconds: number[], pending: number, config: Record<string, unknown> = {}) {
      let prev: ReturnType<typeof run> | null = null;
      const outs: ReturnType<typeof run>[] = [];
      for (const s of seconds) {
        prev = run({ now: later(s), status: { pending_orders: pending }, previous: prev, config });
        outs.push(prev);
      }
      return outs;
    }
    const every5 = (untilSec: number) => Array.from({ length: untilSec / 300 + 1 }, (_, i) => i * 300);

    it('two entry orders at warn: no escalation at exactly 1800 s, escalation (told) just after', () => {
      const outs = chain([...every5(1800), 1801], 2);
      const at1800 = outs.at(-2)!;
      const at1801 = outs.at(-1)!;
      expect(event(at1800, 'pending_order_buildup')).toMatchObject({ severity: 'warn', escalate: false });
      expect(at1800.new_events).toEqual([]);
      expect(event(at1801, 'pending_order_buildup')).toMatchObject({
        severity: 'warn',
        escalate: true,
        first_seen_at: IN_SESSION,
      });
      expect(at1801.new_events.map((e) => e.code)).toEqual(['pending_order_buildup']);
      expect(at1801.decision).toBe('escalate');
    });

    it('follows AEGIS_PT_PENDING_ORDER_CLEAR_SEC', () => {
      const outs = chain([0, 300, 600], 2, { AEGIS_PT_PENDING_ORDER_CLEAR_SEC: 599 });
      expect(outs.map((o) => event(o, 'pending_order_buildup')?.escalate)).toEqual([false, false, true]);
    });

    it('starts again after a gap: the first-seen time resets, so does the clock', () => {
      const outs = chain([...every5(1500)], 2);
      const afterGap = run({
        now: later(1500 + 1000),
        status: { pending_orders: 2 },
        previous: outs.at(-1),
      });
      expect(event(afterGap, 'pending_order_buildup')).toMatchObject({ escalate: false, consecutive: 1 });
    });

    it('a buildup that clears and comes back starts a new clock', () => {
      const a = chain([...every5(1500)], 2);
      const cleared = run({ now: later(1800), status: { pending_orders: 0 }, previous: a.at(-1) });
      const back = run({ now: later(2100), status: { pending_orders: 2 }, previous: cleared });
      expect(event(back, 'pending_order_buildup')).toMatchObject({
        escalate: false,
        first_seen_at: later(2100),
      });
    });
  });
});

describe('pending_order_stale', () => {
  it('raises in the session for an order older than 600 s, naming the order ids', () => {
    expect(codes(run({ status: { pending_order_details: [order('7', 600)] } }))).toEqual([]);
    const out = run({
      status: { pending_orders: 1, pending_order_details: [order('9', 601), order('7', 900)] },
    });
    expect(event(out, 'pending_order_stale')).toMatchObject({
      severity: 'warn',
      signature: 'pending_order_stale:7,9',
    });
  });

  it('does not raise outside the session', () => {
    expect(codes(run({ now: AFTER_CLOSE, status: { pending_order_details: [order('7', 9000)] } }))).toEqual(
      [],
    );
  });
});

describe('exit safety', () => {
  it('pending_exits is warn, then critical when persisted (severity rise is notified)', () => {
    const first = run({ status: { pending_exits: 1 } });
    expect(event(first, 'pending_exits')).toMatchObject({ severity: 'warn', escalate: false });
    const second = run({ now: '2026-06-01T14:09:00Z', status: { pending_exits: 1 }, previous: first });
    expect(event(second, 'pending_exits')).toMatchObject({ severity: 'critical', consecutive: 2 });
    expect(second.new_events.map((e) => e.code)).toEqual(['pending_exits']);
    expect(codes(run({ status: { pending_exits: 0 } }))).toEqual([]);
  });

  it.each([
    ['stuck_exits', { stuck_exits: 1 }, true],
    ['unknown_fill', { unknown_fill: true }, true],
    ['send_outcome_unknown', { send_outcome_unknown: true }, false],
    ['broker_confirmation_required', { broker_confirmation_required: true }, false],
  ])('%s is critical (escalate=%s)', (code, status, escalate) => {
    const out = run({ status });
    expect(event(out, code as string)).toMatchObject({ severity: 'critical', escalate });
    expect(out.decision).toBe(escalate ? 'escalate' : 'notify');
  });

  it.each([
    [{ stuck_exits: 0 }],
    [{ unknown_fill: false }],
    [{ send_outcome_unknown: false }],
    [{ broker_confirmation_required: false }],
  ])('does not raise on %j', (status) => {
    expect(codes(run({ status }))).toEqual([]);
  });

  it('high_exit_attempts is warn at 12 and critical at 20, from either source', () => {
    expect(codes(run({ status: { max_exit_attempt_count: 11 } }))).toEqual([]);
    expect(event(run({ status: { max_exit_attempt_count: 12 } }), 'high_exit_attempts')?.severity).toBe(
      'warn',
    );
    expect(event(run({ status: { max_exit_attempt_count: 19 } }), 'high_exit_attempts')?.severity).toBe(
      'warn',
    );
    expect(event(run({ status: { max_exit_attempt_count: 20 } }), 'high_exit_attempts')?.severity).toBe(
      'critical',
    );
    const fromPosition = run({
      status: {
        max_exit_attempt_count: 0,
        open_positions: [{ symbol: 'NVDA', qty: 1, tags: [], exit_attempt_count: 21 }],
      },
    });
    expect(event(fromPosition, 'high_exit_attempts')).toMatchObject({
      severity: 'critical',
      details: { symbols: ['NVDA'] },
    });
  });
});

describe('attribution', () => {
  const trade = (id: string, extra: Record<string, unknown>) => ({
    trade_id: id,
    symbol: 'COIN',
    closed_at: '2026-06-01T13:58:10Z',
    pnl: 1,
    pnl_unknown: false,
    exit_reason: 'tp',
    ...extra,
  });

  it('pnl_unknown_trades names the trades in its signature', () => {
    const out = run({
      status: {
        recent_trades: [trade('b', { pnl_unknown: true, pnl: null }), trade('a', { pnl_unknown: true })],
      },
    });
    expect(event(out, 'pnl_unknown_trades')).toMatchObject({
      severity: 'warn',
      signature: 'pnl_unknown_trades:a,b',
    });
    expect(codes(out)).toEqual(['pnl_unknown_trades']);
  });

  // The spec: a PnL not reported is unknown, never known (pnl_unknown absent or null, pnl not finite).
  const without = (id: string, extra: Record<string, unknown>, drop: string[]) => {
    const t: Record<string, unknown> = trade(id, extra);
    for (const k of drop) delete t[k];
    return t;
  };
  it.each([
    ['the issue: pnl_unknown absent and pnl null', without('u1', { pnl: null }, ['pnl_unknown'])],
    ['pnl_unknown null and pnl absent', without('u2', { pnl_unknown: null }, ['pnl'])],
    ['pnl_unknown absent and pnl a string', without('u3', { pnl: '12.5' }, ['pnl_unknown'])],
    ['pnl_unknown null and pnl an object', without('u4', { pnl_unknown: null, pnl: { v: 1 } }, [])],
    ['both absent', without('u5', {}, ['pnl', 'pnl_unknown'])],
  ])('pnl_unknown_trades counts %s as unknown', (_name, t) => {
    const out = run({ status: { recent_trades: [t] } });
    expect(codes(out)).toEqual(['pnl_unknown_trades']);
    expect(event(out, 'pnl_unknown_trades')?.signature).toBe(`pnl_unknown_trades:${String(t.trade_id)}`);
  });

  it('a trade with pnl_unknown not reported but a finite pnl is known', () => {
    expect(codes(run({ status: { recent_trades: [without('k1', { pnl: -2 }, ['pnl_unknown'])] } }))).toEqual(
      [],
    );
    expect(codes(run({ status: { recent_trades: [trade('k2', { pnl_unknown: null, pnl: 0 })] } }))).toEqual(
      [],
    );
  });

  it('pnl_anomaly raises for a known pnl that is not a finite number', () => {
    for (const pnl of [null, 'NaN', '12.5', { v: 1 }]) {
      expect(codes(run({ status: { recent_trades: [trade('x', { pnl })] } }))).toEqual(['pnl_anomaly']);
    }
    const missing = trade('y', {});
    delete (missing as Record<string, unknown>).pnl;
    expect(codes(run({ status: { recent_trades: [missing] } }))).toEqual(['pnl_anomaly']);
    expect(codes(run({ status: { recent_trades: [trade('z', { pnl: -3.25 })] } }))).toEqual([]);
  });

  const position = (symbol: string, tags: string[]) => ({ symbol, qty: 1, tags, exit_attempt_count: 0 });

  it('broker_import_positions: warn, tags case-insensitive, symbols in the signature', () => {
    const out = run({
      status: {
        open_positions: [
          position('TSLA', ['BROKER']),
          position('AMD', ['Reconcile-Import-20260601']),
          position('NVDA', ['strategy:momo']),
        ],
      },
    });
    expect(event(out, 'broker_import_positions')).toMatchObject({
      severity: 'warn',
      signature: 'broker_import_positions:AMD,TSLA',
    });
  });

  it.each([
    [{ stuck_exits: 1 }],
    [{ broker_reconcile_pending: true }],
    [{ send_outcome_unknown: true }],
    [{ unknown_fill: true }],
    [{ broker_confirmation_required: true }],
  ])('broker_import_positions is critical with %j', (extra) => {
    const out = run({ status: { open_positions: [position('TSLA', ['broker'])], ...extra } });
    expect(event(out, 'broker_import_positions')?.severity).toBe('critical');
  });

  it('does not flag a tag that only contains the word', () => {
    expect(codes(run({ status: { open_positions: [position('X', ['brokerage-note', 'import'])] } }))).toEqual(
      [],
    );
  });
});

describe('market_data_degraded', () => {
  const past = '2026-06-01T14:05:00Z'; // 10:05 ET, past the 09:35 grace
  const withinGrace = '2026-06-01T13:34:00Z';

  it('raises past open grace at 10197 >= 10 or status down', () => {
    expect(codes(run({ now: past, status: { market_data_10197_recent: 10 } }))).toEqual([
      'market_data_degraded',
    ]);
    expect(codes(run({ now: past, status: { market_data_status: 'down' } }))).toEqual([
      'market_data_degraded',
    ]);
  });

  it('keeps isolated notices as info market_data_notice', () => {
    const out = run({ now: past, status: { market_data_10197_recent: 9, market_data_status: 'degraded' } });
    expect(codes(out)).toEqual([]);
    expect(infoCodes(out)).toEqual(['market_data_notice']);
  });

  it('raises on isolated notices together with a harmful signal', () => {
    const out = run({ now: past, status: { market_data_10197_recent: 1, pending_orders: 2 } });
    expect(codes(out)).toEqual(['market_data_degraded', 'pending_order_buildup']);
    expect(event(out, 'market_data_degraded')?.details.with).toEqual(['pending_order_buildup']);
    const degraded = run({
      now: past,
      status: { market_data_status: 'degraded', log_signals: { ibkr_1101: 1 } },
    });
    expect(codes(degraded)).toEqual(['ibkr_connectivity', 'market_data_degraded']);
  });

  it('is only info within open grace and outside the session, whatever the count', () => {
    for (const now of [withinGrace, AFTER_CLOSE]) {
      const out = run({ now, status: { market_data_10197_recent: 50, market_data_status: 'down' } });
      expect(codes(out)).toEqual([]);
      expect(infoCodes(out)).toEqual(['market_data_notice']);
    }
  });

  it('follows MARKET_DATA_10197_WARN and OPEN_GRACE_MINUTE', () => {
    expect(
      codes(
        run({
          now: past,
          status: { market_data_10197_recent: 3 },
          config: { AEGIS_PT_MARKET_DATA_10197_WARN: 3 },
        }),
      ),
    ).toEqual(['market_data_degraded']);
    const at0950 = '2026-06-01T13:50:00Z';
    expect(codes(run({ now: at0950, status: { market_data_10197_recent: 30 } }))).toEqual([
      'market_data_degraded',
    ]);
    expect(
      codes(
        run({
          now: at0950,
          status: { market_data_10197_recent: 30 },
          config: { AEGIS_PT_OPEN_GRACE_MINUTE: 55 },
        }),
      ),
    ).toEqual([]);
  });
});

describe('IBKR logs', () => {
  const logs = (extra: Record<string, number>) => ({
    log_signals: {
      window_sec: 900,
      existing_session_detected: 0,
      ibkr_1100: 0,
      ibkr_1101: 0,
      ibkr_1102: 0,
      fatal: 0,
      severe: 0,
      ...extra,
    },
  });

  it('session_conflict is critical, escalating at 2 in the window', () => {
    expect(event(run({ status: logs({ existing_session_detected: 1 }) }), 'session_conflict')).toMatchObject({
      severity: 'critical',
      escalate: false,
    });
    expect(event(run({ status: logs({ existing_session_detected: 2 }) }), 'session_conflict')?.escalate).toBe(
      true,
    );
  });

  it('ibkr_connectivity: 1100 critical (escalate at 2), 1101 alone warn, 1102 alone info', () => {
    expect(event(run({ status: logs({ ibkr_1100: 1, ibkr_1102: 1 }) }), 'ibkr_connectivity')).toMatchObject({
      severity: 'critical',
      escalate: false,
    });
    expect(event(run({ status: logs({ ibkr_1100: 2 }) }), 'ibkr_connectivity')?.escalate).toBe(true);
    expect(event(run({ status: logs({ ibkr_1101: 3 }) }), 'ibkr_connectivity')?.severity).toBe('warn');
    const restored = run({ status: logs({ ibkr_1102: 1 }) });
    expect(codes(restored)).toEqual([]);
    expect(infoCodes(restored)).toEqual(['ibkr_connectivity_restored']);
  });

  it('severe_log_burst on any fatal or severe >= 5', () => {
    expect(codes(run({ status: logs({ severe: 4 }) }))).toEqual([]);
    expect(codes(run({ status: logs({ severe: 5 }) }))).toEqual(['severe_log_burst']);
    expect(codes(run({ status: logs({ fatal: 1 }) }))).toEqual(['severe_log_burst']);
  });
});
