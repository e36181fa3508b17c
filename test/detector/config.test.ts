import {
  ConfigError,
  DEFAULT_CONFIG,
  parseDetectorConfig as resolveConfig,
  withBundleConfig,
} from '../../lambda/detector/config';
import { configVariables } from '../../lambda/detector/config-variables';
import { run } from '../helpers/bundle';

describe('parseDetectorConfig', () => {
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
      persistMinSec: 240,
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

  it('reads only AEGIS_PT_* settings from an environment and ignores the rest', () => {
    const config = resolveConfig({ PATH: '/bin', AEGIS_PT_SEVERE_LOG_BURST: '7', AEGIS_PT_OTHER: 'x' });
    expect(config).toEqual({ ...DEFAULT_CONFIG, severeLogBurst: 7 });
    expect(Object.keys(config)).not.toContain('PATH');
  });

  it('is frozen: a rule cannot change the config the next run sees', () => {
    const config = resolveConfig({ AEGIS_PT_MARKET_CLOSURES: '2026-06-02' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.marketClosures)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CONFIG)).toBe(true);
  });

  it('round-trips through the environment form the stack writes', () => {
    const config = resolveConfig({
      AEGIS_PT_PENDING_ORDER_WARN: '3',
      AEGIS_PT_MARKET_CLOSURES: '2026-06-02',
    });
    expect(resolveConfig(configVariables(config))).toEqual(config);
  });
});

describe('withBundleConfig (the bundle config through the same schema)', () => {
  const base = resolveConfig({ AEGIS_PT_HEARTBEAT_STALE_SEC: '120', AEGIS_PT_PENDING_ORDER_WARN: '1' });

  it('overrides only the keys the bundle sets, and returns the same object when it sets none', () => {
    const merged = withBundleConfig(base, { AEGIS_PT_HEARTBEAT_STALE_SEC: 60, NOT_A_SETTING: 1 });
    expect(merged).toEqual({ ...base, heartbeatStaleSec: 60 });
    expect(withBundleConfig(base, null)).toBe(base);
    expect(withBundleConfig(base, {})).toBe(base);
  });

  it('checks WARN <= CRITICAL across the base and the bundle', () => {
    // base CRITICAL is the default 3; the bundle raising WARN past it must fail, naming WARN.
    expect(() => withBundleConfig(base, { AEGIS_PT_PENDING_ORDER_WARN: 4 })).toThrow(
      /AEGIS_PT_PENDING_ORDER_WARN: must be <= AEGIS_PT_PENDING_ORDER_CRITICAL/,
    );
    expect(() => withBundleConfig(base, { AEGIS_PT_PENDING_ORDER_CRITICAL: 0 })).toThrow(
      /AEGIS_PT_PENDING_ORDER_CRITICAL/,
    );
  });

  it.each([['x'], [[1, 2]], [7]])('rejects a config that is not an object (%j)', (raw) => {
    expect(() => withBundleConfig(base, raw)).toThrow(ConfigError);
  });

  it('accepts closures as a JSON array and rejects non-string items', () => {
    expect(withBundleConfig(base, { AEGIS_PT_MARKET_CLOSURES: ['2026-06-02'] }).marketClosures).toEqual([
      '2026-06-02',
    ]);
    expect(() => withBundleConfig(base, { AEGIS_PT_MARKET_CLOSURES: [20260602] })).toThrow(
      /AEGIS_PT_MARKET_CLOSURES: not a YYYY-MM-DD date: 20260602/,
    );
  });
});

describe('the config in detect', () => {
  it('makes a closure date a closed market in detect', () => {
    const out = run({ config: { AEGIS_PT_MARKET_CLOSURES: '2026-06-01' }, drop: ['heartbeat_at'] });
    expect(out.clock.market).toBe('closed');
    expect(out.events).toEqual([]);
  });
});
