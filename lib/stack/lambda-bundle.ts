// One definition of how the Lambda is built, shared by the stack and the handler benchmark.
export const LAMBDA_ENTRY = 'lambda/index.ts';
/** The latest Node.js LTS runtime Lambda offers (nodejs24.x); esbuild targets the same. */
export const LAMBDA_NODE_TARGET = 'node24';
export { LAMBDA_MEMORY_MB, LAMBDA_TIMEOUT_SEC } from '../../lambda/shared/lambda-limits';
