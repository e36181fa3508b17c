// The settings in force, written back as the AEGIS_PT_* variables they came from: what a run record
// stores, so a later re-run judges with exactly these settings whatever the defaults have become.
import { CLOSURES_VARIABLE, NUMERIC_VARIABLES, type DetectorConfig } from './config';

export function configVariables(config: DetectorConfig): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [name, spec] of Object.entries(NUMERIC_VARIABLES)) out[name] = config[spec.key];
  out[CLOSURES_VARIABLE] = config.marketClosures.join(',');
  return out;
}
