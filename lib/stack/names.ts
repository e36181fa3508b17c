// Physical names derived from the stack name. Names that must be unique per account (and sometimes
// across regions) carry the stack name; when the stack name is too long for the service's limit, it is
// cut and a hash of the whole name keeps two long stack names apart.
import { createHash } from 'node:crypto';

/** The longest region code (`ap-southeast-5`, `us-isob-east-1`: 14) plus room for a new one. */
export const REGION_MAX_LENGTH = 16;

/**
 * `<stackName>-<suffix>`, at most `max` characters with `reserve` characters left for what the caller
 * appends (such as `-<region>`).
 * @param stackName the stack's name (CloudFormation: letters, digits and hyphens)
 * @param suffix what the name is for, e.g. `chat`
 * @param max the service's length limit
 * @param reserve characters the caller appends after the returned name
 * @default reserve 0
 */
export function boundedName(stackName: string, suffix: string, max: number, reserve = 0): string {
  const whole = `${stackName}-${suffix}`;
  if (whole.length + reserve <= max) return whole;
  const hash = createHash('sha256').update(stackName).digest('hex').slice(0, 8);
  const room = max - reserve - suffix.length - hash.length - 2;
  if (room < 1) throw new Error(`no room for a name ending in ${suffix} within ${max} characters`);
  return `${stackName.slice(0, room)}-${hash}-${suffix}`;
}
