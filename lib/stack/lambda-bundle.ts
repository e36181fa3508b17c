// One definition of how the Lambda is built, shared by the stack and the handler benchmark.
export const LAMBDA_ENTRY = 'lambda/index.ts';
/** The latest Node.js LTS runtime Lambda offers (nodejs24.x); esbuild targets the same. */
export const LAMBDA_NODE_TARGET = 'node24';
/**
 * The function ships its source map and Node maps stack traces through it, so a logged error names
 * the TypeScript file and line. Measured (bench:handler, cold starts both ways): about 15% more CPU at
 * module load and ~14 MiB more memory, a few times a day at a one-minute cadence (the environment
 * stays warm between checks); kept for the failures an operator has to read.
 */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';
export { LAMBDA_MEMORY_MB, LAMBDA_TIMEOUT_SEC } from '../../lambda/shared/lambda-limits';
