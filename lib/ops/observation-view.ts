// The validated payload and ECS observation of a bundle, as the operator tools read them.
import { readEcsObservation } from '../../lambda/detector/ecs-observation';
import { validateStatus } from '../../lambda/detector/status-schema';
import type { EcsObservation, ObservationBundle, StatusV3 } from '../../lambda/detector/types';

export interface ObservationView {
  readonly status: StatusV3 | null;
  readonly ecs: EcsObservation | null;
}

export function observationView(bundle: ObservationBundle): ObservationView {
  const status = bundle.status_v3 === undefined ? null : validateStatus(bundle.status_v3).status;
  const reading = bundle.ecs === undefined ? null : readEcsObservation(bundle.ecs);
  return { status, ecs: reading && 'ecs' in reading ? reading.ecs : null };
}
