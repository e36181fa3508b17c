// The Lambda entry point. The environment is read once, at init: a bad value fails the init loudly
// (and the Lambda errors alarm fires) instead of running with a guess.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { deadManSwitch } from './adapters/dead-man';
import { secretToken } from './adapters/secret-token';
import { awsDeps } from './aws-deps';
import { codeIdentity } from './code-identity';
import { readRuntimeEnv } from './env';
import { createHandler } from './handler';
import { isProbeEvent, probe } from './probe';
import { CLIENT_DEADLINES } from './shared/client-deadlines';

const config = readRuntimeEnv(process.env);
const deps = awsDeps(config, process.env);
const deadMan = config.deadMan
  ? deadManSwitch({
      url: config.deadMan.url,
      token: secretToken(new SecretsManagerClient({ ...CLIENT_DEADLINES }), config.deadMan.secretArn),
      log: deps.log,
    })
  : undefined;
const check = createHandler(deps, codeIdentity(process.env), deadMan);

/** `{"trigger":"probe"}` (from `doctor`) only collects and reports; every other event runs a check. */
export const handler = (event: unknown) => (isProbeEvent(event) ? probe(deps) : check(event));
