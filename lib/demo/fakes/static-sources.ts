// In-process sources for the demo and tests: an ECS observation (AWS's shapes) that a script sets.
import { readEcsObservation } from '../../../lambda/detector/ecs-observation';
import type { EcsResult, EcsSource } from '../../../lambda/ports';

export class ScriptedEcs implements EcsSource {
  private current: EcsResult;

  constructor(initial: unknown) {
    this.current = ScriptedEcs.toResult(initial);
  }

  private static toResult(observation: unknown): EcsResult {
    const reading = readEcsObservation(observation);
    return 'ecs' in reading ? { ecs: reading.ecs } : { error: reading.error };
  }

  /** Sets the next observation: AWS-shaped ECS data, or an error reason. */
  set(observation: unknown): void {
    this.current = ScriptedEcs.toResult(observation);
  }

  fail(reason: string): void {
    this.current = { error: reason };
  }

  async observe(): Promise<EcsResult> {
    return this.current;
  }
}
