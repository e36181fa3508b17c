// Which code a run executed: a version baked into the bundle at synth (the stack outputs the same value
// as CodeVersion) and the Lambda version. Unqualified invocations, as the schedules make, run $LATEST,
// so the function version alone cannot tell the new code from the old.
import type { CodeIdentity } from './triggers';

declare const __AEGIS_PT_CODE_VERSION__: string | undefined;

export function codeIdentity(env: Readonly<Record<string, string | undefined>>): CodeIdentity {
  const baked = typeof __AEGIS_PT_CODE_VERSION__ === 'string' ? __AEGIS_PT_CODE_VERSION__ : undefined;
  return {
    ...(baked ? { code_version: baked } : {}),
    ...(env.AWS_LAMBDA_FUNCTION_VERSION ? { function_version: env.AWS_LAMBDA_FUNCTION_VERSION } : {}),
  };
}
