// The Lambda entry point. The environment is read once, at init: a bad value fails the init loudly
// (and the Lambda errors alarm fires) instead of running with a guess.
import { awsDeps } from './aws-deps';
import { codeIdentity } from './code-identity';
import { readRuntimeEnv } from './env';
import { createHandler } from './handler';
import { isProbeEvent, probe } from './probe';

const deps = awsDeps(readRuntimeEnv(process.env), process.env);
const check = createHandler(deps, codeIdentity(process.env));

/** `{"trigger":"probe"}` (from `doctor`) only collects and reports; every other event runs a check. */
export const handler = (event: unknown) => (isProbeEvent(event) ? probe(deps) : check(event));
