// The Lambda's limits, owned here because the runtime derives values from them (the delivery claim
// lifetime) as well as the stack that deploys them.
export const LAMBDA_MEMORY_MB = 256;
export const LAMBDA_TIMEOUT_SEC = 60;
