// The EMF namespace and dimension the Lambda emits and the stack's alarms and dashboard read.
export const METRICS_NAMESPACE = 'AegisPtHealth';
export const SERVICE_NAME = 'aegis-pt-health';
