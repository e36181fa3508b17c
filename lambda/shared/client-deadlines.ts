// Every AWS call has a deadline: a connection that does not open in 3 s, or a request that stays
// silent for 5 s, fails (socket timeouts of the SDK's NodeHttpHandler), and is tried at most twice.
// Without them the SDK waits for as long as the process lives. Shared by the Lambda and the CLI.
export const CLIENT_DEADLINES = {
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 },
  maxAttempts: 2,
} as const;
