// The Lambda's environment variable names: the stack sets them, the Lambda and the live CLI read them.
export const ENV = {
  cluster: 'AEGIS_PT_CLUSTER',
  service: 'AEGIS_PT_SERVICE',
  dashboardUrl: 'AEGIS_PT_DASHBOARD_URL',
  dashboardSecretArn: 'AEGIS_PT_DASHBOARD_SECRET_ARN',
  dashboardTimeoutMs: 'AEGIS_PT_DASHBOARD_TIMEOUT_MS',
  bucket: 'AEGIS_PT_STATE_BUCKET',
  topicArn: 'AEGIS_PT_TOPIC_ARN',
  /** The page (SMS) and chat topics; the email topic is `topicArn`. */
  pageTopicArn: 'AEGIS_PT_PAGE_TOPIC_ARN',
  chatTopicArn: 'AEGIS_PT_CHAT_TOPIC_ARN',
  /** escalate | critical | warn: the lowest level that pages. */
  pageFloor: 'AEGIS_PT_PAGE_FLOOR',
  /** The deployed check schedules (the daily digest's due time and coverage follow them). */
  primaryCron: 'AEGIS_PT_PRIMARY_CRON',
  fallbackCron: 'AEGIS_PT_FALLBACK_CRON',
  /** The optional dead-man's switch outside AWS: its ping URL, and the secret with its token. */
  deadManUrl: 'AEGIS_PT_DEAD_MAN_URL',
  deadManSecretArn: 'AEGIS_PT_DEAD_MAN_SECRET_ARN',
  /** The metrics' `service` dimension (metric-names.ts `metricsServiceName`); Powertools' own variable. */
  metricsService: 'POWERTOOLS_SERVICE_NAME',
} as const;
