// The error of a wrong CDK context key: `cdk synth` prints this one line (bin/app.ts) and exits 2.
import { ConfigError } from '../../lambda/shared/errors';

/** A CDK context key is wrong; the message names it. */
export class ContextError extends ConfigError {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`context "${key}"`, message);
  }
}
