// The event catalog (contract section 5), one rule per row, grouped by family.
import { ATTRIBUTION_RULES } from './attribution';
import { DASHBOARD_RULES } from './dashboard';
import { EXIT_RULES } from './exits';
import { IBKR_LOG_RULES } from './ibkr-logs';
import { marketDataDegraded } from './market-data';
import { monitorGap } from './monitor';
import { ORDER_RULES } from './orders';
import { RECONCILE_RULES } from './reconcile';
import type { DependentRule, Rule } from './rule';
import { RUNTIME_RULES } from './runtime';

export const RULES: readonly Rule[] = [
  ...RUNTIME_RULES,
  ...DASHBOARD_RULES,
  ...RECONCILE_RULES,
  ...ORDER_RULES,
  ...EXIT_RULES,
  ...ATTRIBUTION_RULES,
  ...IBKR_LOG_RULES,
  monitorGap,
];

export const DEPENDENT_RULES: readonly DependentRule[] = [marketDataDegraded];
