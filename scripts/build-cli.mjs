// Bundles the operator CLI into dist/ so `npm run cli` and the `aegis-pt-health` bin work after `npm ci`.
import { build } from 'esbuild';

await build({
  entryPoints: ['bin/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
