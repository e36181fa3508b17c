// The CDK app entry: context (cdk.json and -c key=value) is read once and validated; cdk-nag runs.
// A context error is the deployer's to fix: one line naming the key, exit 2, no stack trace.
import { AegisError } from '../lambda/shared/errors';
import { createMonitorApp } from '../lib/stack/monitor-app';

try {
  createMonitorApp();
} catch (err) {
  if (!(err instanceof AegisError)) throw err;
  process.stderr.write(`aegis-pt-health: ${err.message}\n`);
  process.exit(err.exitCode);
}
