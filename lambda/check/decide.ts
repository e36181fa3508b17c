// Stage "decide": the pure detector over this run's observation and the de-duplication view of the
// snapshot, with what the run itself has to say (a recovered snapshot, unreadable silences, a redelivery).
import { detect } from '../detector/detect';
import type { DetectorOutput, ObservationBundle, TriggerContext } from '../detector/types';
import type { CheckDeps } from '../ports';
import type { SilencesRead } from './collect';

export function withInfo(output: DetectorOutput, code: string, summary: string): DetectorOutput {
  return { ...output, info: [...output.info, { code, summary }] };
}

export interface DecideInput {
  readonly bundle: ObservationBundle;
  readonly previous: DetectorOutput | null;
  readonly trigger: TriggerContext;
  readonly silences: SilencesRead;
  /** Why the stored snapshot was only partly usable, if it was. */
  readonly snapshotProblem?: string;
  /** The previous run did not confirm its notification: this run tells it again. */
  readonly redeliver: boolean;
}

export function decide(deps: Pick<CheckDeps, 'config'>, input: DecideInput): DetectorOutput {
  const { bundle, previous, trigger, silences } = input;
  let output = detect(
    {
      ...bundle,
      previous,
      trigger,
      silences: silences.silences,
      ...(silences.unreadable ? { silences_unreadable: silences.problem } : {}),
    },
    deps.config,
  );
  if (input.snapshotProblem) output = withInfo(output, 'snapshot_recovered', input.snapshotProblem);
  if (silences.problem) output = withInfo(output, 'silences_unreadable', silences.problem);
  if (input.redeliver) {
    output = withInfo(
      output,
      'redelivery',
      'the previous run did not confirm its notification: telling it again',
    );
  }
  return output;
}
