// Attribution family: trades without a known P&L, broker-imported positions, P&L anomalies.
import type { OpenPosition, RecentTrade } from '../types';
import { RECONCILE_FLAGS } from './reconcile';
import { finding, type Rule } from './rule';

export function isBrokerImport(position: OpenPosition): boolean {
  return (position.tags ?? []).some((tag) => {
    const t = tag.toLowerCase();
    return t === 'broker' || t.startsWith('reconcile-import-');
  });
}

const finitePnl = (t: RecentTrade) => typeof t.pnl === 'number' && Number.isFinite(t.pnl);

/**
 * The spec's rule, shared with the KPIs: `pnl_unknown` true, or not reported (absent or null) with no
 * finite `pnl`: a PnL not reported is unknown, never known.
 */
export function isPnlUnknown(t: RecentTrade): boolean {
  return t.pnl_unknown === true || (t.pnl_unknown === undefined && !finitePnl(t));
}

/** How a trade is named in signatures and KPIs: its id, else symbol@closed_at. */
export const tradeName = (t: RecentTrade): string => t.trade_id ?? `${t.symbol ?? '?'}@${t.closed_at ?? '?'}`;

/**
 * Each broker import in a list of positions, by symbol, quantity and tags, numbered by occurrence: a
 * second identical import is a new one (`AAPL qty=5 [broker] #2`). The gate and the KPIs count with it.
 */
export function brokerImportKeys(positions: readonly OpenPosition[]): string[] {
  const seen = new Map<string, number>();
  return positions.filter(isBrokerImport).map((p) => {
    const k = `${p.symbol ?? '?'} qty=${p.qty ?? '?'} [${[...(p.tags ?? [])]
      .map((t) => t.toLowerCase())
      .sort()
      .join(',')}]`;
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    return n === 1 ? k : `${k} #${n}`;
  });
}

export const pnlUnknownTrades: Rule = (ctx, emit) => {
  const trades = (ctx.status?.recent_trades ?? []).filter(isPnlUnknown);
  if (trades.length === 0) return;
  const ids = trades.map(tradeName);
  emit.event(
    finding('pnl_unknown_trades', {
      severity: 'warn',
      discriminators: ids,
      summary: `${trades.length} recent trade(s) with pnl_unknown: ${ids.join(', ')}`,
      details: { trades: ids },
    }),
  );
};

export const brokerImportPositions: Rule = (ctx, emit) => {
  const s = ctx.status;
  if (s === null) return;
  const imported = (s.open_positions ?? []).filter(isBrokerImport);
  if (imported.length === 0) return;
  const aggravating = [
    (s.stuck_exits ?? 0) > 0 ? 'stuck_exits' : null,
    ...RECONCILE_FLAGS.filter((f) => s[f] === true),
    s.send_outcome_unknown === true ? 'send_outcome_unknown' : null,
    s.unknown_fill === true ? 'unknown_fill' : null,
    s.broker_confirmation_required === true ? 'broker_confirmation_required' : null,
  ].filter((x): x is string => x !== null);
  const symbols = imported.map((p) => p.symbol ?? '?');
  emit.event(
    finding('broker_import_positions', {
      severity: aggravating.length > 0 ? 'critical' : 'warn',
      discriminators: symbols,
      summary: `broker-imported open position(s): ${[...new Set(symbols)].sort().join(', ')}${aggravating.length ? ` with ${aggravating.join(', ')}` : ''}`,
      details: { symbols, aggravating },
    }),
  );
};

export const pnlAnomaly: Rule = (ctx, emit) => {
  const bad = (ctx.status?.recent_trades ?? []).filter((t) => t.pnl_unknown === false && !finitePnl(t));
  if (bad.length === 0) return;
  emit.event(
    finding('pnl_anomaly', {
      severity: 'critical',
      summary: `${bad.length} trade(s) with pnl_unknown=false but no finite pnl: ${bad.map((t) => `${t.trade_id ?? '?'} pnl=${JSON.stringify(t.pnl ?? null)}`).join(', ')}`,
      details: {
        trades: bad.map((t) => ({
          trade_id: t.trade_id ?? null,
          symbol: t.symbol ?? null,
          pnl: t.pnl ?? null,
        })),
      },
    }),
  );
};

export const ATTRIBUTION_RULES: readonly Rule[] = [pnlUnknownTrades, brokerImportPositions, pnlAnomaly];
