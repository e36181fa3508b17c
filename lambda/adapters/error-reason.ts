// One line for an SDK error, bounded: shared by the adapters and the CLI without loading any client.
export function errorReason(err: unknown): string {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return `${name}${e.message ?? String(err)}`.slice(0, 300);
}
