import {
  ConfigError,
  DEFAULT_CONFIG,
  pickConfigVariables,
  resolveConfig,
} from '../../lambda/detector/config';
import { run } from '../helpers/bundle';

describe('resolveConfig', () => {
  it('has the contract defaults', () => {
    expect(DEFAULT_CONFIG).toMatchObject({
      heartbeatStaleSec: 300,
      pendingOrderWarn: 2,
      pendingOrderCritical: 3,
      pendingOrderStaleSec: 600,
      marketData10197Warn: 10,
      highExitAttemptWarn: 12,
      highExitAttemptCritical: 20,
      openGraceMinute: 35,
      taskStartupGraceSec: 300,
      restartLoopCount: 2,
      restartWindowSec: 3600,
      severeLogBurst: 5,
      persistMaxGapSec: 900,
      renotifyCriticalSec: 0,
      pendingOrderClearSec: 1800,
      marketClosures: [],
    });
  });

  it('reads environment strings and lets later sources (the bundle config) win', () => {
    const config = resolveConfig(
      { AEGIS_PT_HEARTBEAT_STALE_SEC: '120', AEGIS_PT_PENDING_ORDER_WARN: '1' },
      { AEGIS_PT_HEARTBEAT_STALE_SEC: 60 },
    );
    expect(config.heartbeatStaleSec).toBe(60);
    expect(config.pendingOrderWarn).toBe(1);
  });

  it('accepts 0 for *_SEC and *_MINUTE values', () => {
    expect(
      resolveConfig({ AEGIS_PT_HEARTBEAT_STALE_SEC: '0', AEGIS_PT_OPEN_GRACE_MINUTE: 0 }).heartbeatStaleSec,
    ).toBe(0);
  });

  it.each([
    ['AEGIS_PT_HEARTBEAT_STALE_SEC', ''],
    ['AEGIS_PT_HEARTBEAT_STALE_SEC', 'abc'],
    ['AEGIS_PT_HEARTBEAT_STALE_SEC', '-1'],
    ['AEGIS_PT_HEARTBEAT_STALE_SEC', '1.5'],
    ['AEGIS_PT_HEARTBEAT_STALE_SEC', 2.5],
    ['AEGIS_PT_HEARTBEAT_STALE_SEC', true],
    ['AEGIS_PT_PENDING_ORDER_WARN', '0'],
    ['AEGIS_PT_RESTART_LOOP_COUNT', 0],
    ['AEGIS_PT_SEVERE_LOG_BURST', '1e3'],
    ['AEGIS_PT_OPEN_GRACE_MINUTE', '60'],
  ])('rejects %s=%j naming the variable', (name, value) => {
    expect(() => resolveConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => resolveConfig({ [name]: value })).toThrow(name);
  });

  it('rejects WARN > CRITICAL, naming the variable', () => {
    expect(() => resolveConfig({ AEGIS_PT_PENDING_ORDER_WARN: '4' })).toThrow(
      /AEGIS_PT_PENDING_ORDER_WARN: must be <= AEGIS_PT_PENDING_ORDER_CRITICAL/,
    );
    expect(() => resolveConfig({ AEGIS_PT_HIGH_EXIT_ATTEMPT_CRITICAL: '5' })).toThrow(
      /AEGIS_PT_HIGH_EXIT_ATTEMPT_WARN/,
    );
    expect(resolveConfig({ AEGIS_PT_PENDING_ORDER_WARN: '3' }).pendingOrderWarn).toBe(3);
  });

  it('parses AEGIS_PT_MARKET_CLOSURES and rejects bad dates', () => {
    expect(resolveConfig({ AEGIS_PT_MARKET_CLOSURES: ' 2026-06-02,2025-01-09 ,' }).marketClosures).toEqual([
      '2025-01-09',
      '2026-06-02',
    ]);
    expect(resolveConfig({ AEGIS_PT_MARKET_CLOSURES: '' }).marketClosures).toEqual([]);
    expect(() => resolveConfig({ AEGIS_PT_MARKET_CLOSURES: '2026-02-30' })).toThrow(
      /AEGIS_PT_MARKET_CLOSURES/,
    );
    expect(() => resolveConfig({ AEGIS_PT_MARKET_CLOSURES: 'tomorrow' })).toThrow(/AEGIS_PT_MARKET_CLOSURES/);
  });

  it('picks only AEGIS_PT_* variables from an environment', () => {
    expect(
      pickConfigVariables({ PATH: '/bin', AEGIS_PT_SEVERE_LOG_BURST: '7', AEGIS_PT_OTHER: 'x' }),
    ).toEqual({
      AEGIS_PT_SEVERE_LOG_BURST: '7',
    });
  });

  it('makes a closure date a closed market in detect', () => {
    const out = run({ config: { AEGIS_PT_MARKET_CLOSURES: '2026-06-01' }, drop: ['heartbeat_at'] });
    expect(out.clock.market).toBe('closed');
    expect(out.events).toEqual([]);
  });
});
