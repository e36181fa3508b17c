// The whole monitor as one stack: state, alerts, the function, its triggers, alarms and dashboard.
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { MonitorConfig } from './config';
import { AlertTopic } from './constructs/alert-topic';
import { AuditTrail } from './constructs/audit-trail';
import { OperatorPolicies } from './constructs/operator-policies';
import { restrictStateAccess } from './constructs/state-access';
import { requireSecretRegion } from './secret-region';
import { ChatChannel } from './constructs/chat-channel';
import { CheckSchedules } from './constructs/check-schedules';
import { EcsEventRules } from './constructs/ecs-event-rules';
import { HealthPath } from './constructs/health-path';
import { MonitorAlarms } from './constructs/monitor-alarms';
import { MonitorDashboard } from './constructs/monitor-dashboard';
import { MonitorFunction } from './constructs/monitor-function';
import { MonitorMetrics } from './constructs/monitor-metrics';
import { SmsDeliveryStatusRole } from './constructs/sms-delivery-status';
import { StateBucket } from './constructs/state-bucket';
import { livenessShape } from '../../lambda/shared/quiet-windows';
import { scheduleDefinitions } from '../../lambda/shared/schedules';
import { OUTPUTS } from '../../lambda/shared/stack-outputs';
import { metricsServiceName } from '../../lambda/shared/metric-names';

export interface MonitorStackProps extends StackProps {
  readonly config: MonitorConfig;
}

/** The whole monitor: state, alerts, the function, its triggers, alarms and dashboard. */
export class MonitorStack extends Stack {
  constructor(scope: Construct, id: string, props: MonitorStackProps) {
    super(scope, id, props);
    const { config } = props;
    if (config.dashboardSecret) requireSecretRegion(this, 'dashboardSecretArn', config.dashboardSecret);
    if (config.deadMan) requireSecretRegion(this, 'deadManSecretArn', config.deadMan.secret);
    const state = new StateBucket(this, 'State');
    const alerts = new AlertTopic(this, 'Alerts', {
      emails: config.alertEmails,
      phoneNumbers: config.alertSms,
      audiences: true,
    });
    // One key for every topic (the alert topics own it; the health topic shares it).
    const topicKey = alerts.key;
    const monitor = new MonitorFunction(this, 'Monitor', {
      config,
      bucket: state.bucket,
      topic: alerts.topic,
      pageTopic: alerts.pageTopic,
      chatTopic: alerts.chatTopic,
      topicKey,
    });
    if (config.slack) new ChatChannel(this, 'Chat', { ...config.slack, topic: alerts.chatTopic });
    const deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    monitor.sendFailuresTo(deadLetterQueue);
    const schedules = scheduleDefinitions(config.primaryCron, config.fallbackCron);
    const checkSchedules = new CheckSchedules(this, 'Schedules', {
      fn: monitor.fn,
      definitions: schedules,
      deadLetterQueue,
    });
    const ecsEvents = new EcsEventRules(this, 'EcsEvents', {
      fn: monitor.fn,
      clusterName: config.clusterName,
      serviceName: config.serviceName,
      deadLetterQueue,
    });
    const [page, email, chat] = [alerts.pageTopic, alerts.topic, alerts.chatTopic].map(
      (t) => new cwActions.SnsAction(t),
    );
    const metrics = new MonitorMetrics({
      fn: monitor.fn,
      deadLetterQueue,
      eventRuleNames: ecsEvents.rules.map((r) => r.ruleName),
      clusterName: config.clusterName,
      serviceName: config.serviceName,
      liveness: livenessShape(schedules),
      metricsService: metricsServiceName(this.stackName),
      scheduleGroupName: checkSchedules.group.scheduleGroupName,
    });
    const alarms = new MonitorAlarms(this, 'Alarms', {
      metrics,
      alertTopics: [
        { audience: 'page', topic: alerts.pageTopic },
        { audience: 'email', topic: alerts.topic },
        { audience: 'chat', topic: alerts.chatTopic },
      ],
      serviceName: config.serviceName,
      containerInsights: config.containerInsights,
      runningTaskAlarmMinutes: config.runningTaskAlarmMinutes,
      schedules,
      // Alarm before the limit: SNS stops sending SMS at it without telling anyone.
      ...(config.alertSms.length > 0 ? { smsSpendAlarmUsd: config.smsSpendLimitUsd * 0.8 } : {}),
      // ALARM wakes someone (page) and is written down (email, chat); a recovery wakes nobody.
      routing: { onAlarm: [page, email, chat], onOk: [email, chat] },
    });
    // CloudWatch publishes for this stack's alarms only: any other alarm in the account is refused by
    // the topic policies and the key policy alike.
    const alarmArns = alarms.arnsOf(alarms.alarms);
    topicKey.allowService('AllowCloudWatchAlarmsToPublish', 'cloudwatch.amazonaws.com', alarmArns);
    alerts.allowService('AllowCloudWatchAlarms', 'cloudwatch.amazonaws.com', alarmArns);
    // The liveness alarm is muted on schedule, so it reaches the health topic through its own
    // (muted) action; the others through the state-change rule, which no action failure can stop.
    const health = new HealthPath(this, 'Health', {
      emails: config.alertEmails,
      phoneNumbers: config.alertSms,
      key: topicKey,
      alarms: alarms.selfAlarms.filter((a) => a !== alarms.liveness),
    });
    alarms.liveness.addAlarmAction(new cwActions.SnsAction(health.topic));
    health.channel.allowService(
      'AllowCloudWatchAlarms',
      'cloudwatch.amazonaws.com',
      alarms.arnsOf([alarms.liveness]),
    );
    // Who may write and read the state: the monitor, the named operators and readers (issue #22).
    restrictStateAccess({
      bucket: state.bucket,
      monitorRole: monitor.role,
      operatorArns: config.operatorRoleArns,
      readerArns: config.readerRoleArns,
    });
    const audit = new AuditTrail(this, 'Audit', { bucket: state.bucket });
    const operators = new OperatorPolicies(this, 'Operators', {
      bucket: state.bucket,
      fn: monitor.fn,
      logGroup: monitor.fn.logGroup,
      topics: [...alerts.topics, health.topic],
      deadLetterQueue,
      clusterName: config.clusterName,
      serviceName: config.serviceName,
      ...(config.dashboardSecret ? { dashboardSecret: config.dashboardSecret } : {}),
      ...(config.dashboardSecretKmsKeyArn
        ? { dashboardSecretKmsKeyArn: config.dashboardSecretKmsKeyArn }
        : {}),
    });
    const smsStatus = new SmsDeliveryStatusRole(this, 'SmsDeliveryStatus');
    const dashboard = new MonitorDashboard(this, 'Dashboard', {
      metrics,
      heartbeatStaleSec: config.detector.heartbeatStaleSec,
      alarms: alarms.alarms,
      alarmGraphs: alarms.graphs,
      logGroup: monitor.fn.logGroup,
    });

    new CfnOutput(this, OUTPUTS.bucket, { key: OUTPUTS.bucket, value: state.bucket.bucketName });
    new CfnOutput(this, OUTPUTS.topic, { key: OUTPUTS.topic, value: alerts.topic.topicArn });
    new CfnOutput(this, OUTPUTS.pageTopic, { key: OUTPUTS.pageTopic, value: alerts.pageTopic.topicArn });
    new CfnOutput(this, OUTPUTS.chatTopic, { key: OUTPUTS.chatTopic, value: alerts.chatTopic.topicArn });
    new CfnOutput(this, OUTPUTS.function, { key: OUTPUTS.function, value: monitor.fn.functionName });
    new CfnOutput(this, OUTPUTS.logGroup, { key: OUTPUTS.logGroup, value: monitor.fn.logGroup.logGroupName });
    new CfnOutput(this, OUTPUTS.codeVersion, { key: OUTPUTS.codeVersion, value: monitor.codeVersion });
    new CfnOutput(this, OUTPUTS.healthTopic, { key: OUTPUTS.healthTopic, value: health.topic.topicArn });
    new CfnOutput(this, OUTPUTS.smsDeliveryStatusRole, {
      key: OUTPUTS.smsDeliveryStatusRole,
      value: smsStatus.role.roleArn,
    });
    for (const [key, policy] of [
      [OUTPUTS.operatorReadPolicy, operators.read],
      [OUTPUTS.operatorSilencePolicy, operators.silence],
      [OUTPUTS.operatorInvokePolicy, operators.invoke],
    ] as const)
      new CfnOutput(this, key, { key, value: policy.managedPolicyArn });
    new CfnOutput(this, OUTPUTS.auditTrail, { key: OUTPUTS.auditTrail, value: audit.trail.trailArn });
    if (config.deadMan)
      new CfnOutput(this, OUTPUTS.deadManPingUrl, { key: OUTPUTS.deadManPingUrl, value: config.deadMan.url });
    new CfnOutput(this, OUTPUTS.deadLetters, { key: OUTPUTS.deadLetters, value: deadLetterQueue.queueUrl });
    new CfnOutput(this, OUTPUTS.dashboard, {
      key: OUTPUTS.dashboard,
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${dashboard.dashboard.dashboardName}`,
    });
  }
}
