// The Lambda entry point. The environment is read once, at init: a bad value fails the init loudly
// (and the Lambda errors alarm fires) instead of running with a guess.
import { awsDeps } from './aws-deps';
import { codeIdentity } from './code-identity';
import { readRuntimeEnv } from './env';
import { createHandler } from './handler';

export const handler = createHandler(
  awsDeps(readRuntimeEnv(process.env), process.env),
  codeIdentity(process.env),
);
