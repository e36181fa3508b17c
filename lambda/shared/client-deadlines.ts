// Every AWS call has a deadline: a connection that does not open in 3 s, or a request that stays
// silent for 5 s, fails (socket timeouts of the SDK's NodeHttpHandler), and is tried at most twice.
// Without them the SDK waits for as long as the process lives. Shared by the Lambda and the CLI.
export const CLIENT_DEADLINES = {
  // Without throwOnRequestTimeout, @smithy/node-http-handler only logs a WARN and the call hangs on.
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
  maxAttempts: 2,
} as const;
