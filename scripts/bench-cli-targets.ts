// The CLI benchmark's bar, one owner for what bench:cli prints, writes into README and judges: the
// operator's command starts within 2x of a bare `node -e 0` and peaks under 80 MB.
export const CLI_TARGETS = { ratio: 2, peakMb: 80 } as const;

export function targetsText(): string {
  return `within ${CLI_TARGETS.ratio}x of \`node -e 0\`, under ${CLI_TARGETS.peakMb} MB`;
}

/** A command's median against the bar: its wall time as a ratio of `node -e 0`, its peak RSS. */
export function verdict(r: { readonly ratio: number; readonly mb: number }): 'ok' | 'MISSED' {
  return r.ratio <= CLI_TARGETS.ratio && r.mb < CLI_TARGETS.peakMb ? 'ok' : 'MISSED';
}
