// The stack's name and output keys: the stack writes them, the operator tools find the bucket and logs by them.
export const DEFAULT_STACK_NAME = 'AegisPtHealth';

export const OUTPUTS = {
  bucket: 'StateBucketName',
  topic: 'AlertTopicArn',
  pageTopic: 'PageTopicArn',
  chatTopic: 'ChatTopicArn',
  function: 'MonitorFunctionName',
  logGroup: 'MonitorLogGroupName',
  dashboard: 'DashboardUrl',
  codeVersion: 'MonitorCodeVersion',
  healthTopic: 'HealthTopicArn',
  smsDeliveryStatusRole: 'SmsDeliveryStatusRoleArn',
  deadLetters: 'DeadLetterQueueUrl',
  operatorReadPolicy: 'OperatorReadPolicyArn',
  operatorSilencePolicy: 'OperatorSilencePolicyArn',
  operatorInvokePolicy: 'OperatorInvokePolicyArn',
  auditTrail: 'AuditTrailArn',
  /** Only with a dead-man's switch: its ping URL (the token stays in Secrets Manager). */
  deadManPingUrl: 'DeadManPingUrl',
} as const;
