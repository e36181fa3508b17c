// `npm run demo`: the monitor end to end on one scripted market session, with no AWS account.
import { resolve } from 'node:path';
import { runDemo } from '../lib/demo/run-demo';

runDemo(resolve(process.argv[2] ?? '.demo'), (text) => process.stdout.write(text)).then(
  (result) => {
    process.exitCode = result.missingWindows === 0 ? 0 : 1;
  },
  (err: unknown) => {
    process.stderr.write(`demo failed: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
