// Two monitor stacks (different names) in one account and region: nothing of one is the other's. Every
// explicit physical name differs, and their alarms read disjoint metric series, each the one its own
// function emits: a shared series would let one stack's scheduled runs keep the other's liveness alarm
// green, and one's deploy window hold off the other's running-tasks alarm.
import type { Template } from 'aws-cdk-lib/assertions';
import { METRICS_NAMESPACE } from '../../lambda/shared/metric-names';
import { synth } from './synth';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONTEXT = { containerInsights: 'true', slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0456EFGH' };
const stacks = ['AegisPtHealth', 'AegisPtHealthStaging'].map((stackName) => ({
  stackName,
  template: synth({ ...CONTEXT, stackName }),
}));

/** Our namespace's series an alarm reads, as `name{dim=value,...}`. */
function ourSeries(t: Template): string[] {
  const out: string[] = [];
  for (const a of Object.values(t.findResources('AWS::CloudWatch::Alarm'))) {
    const p = a.Properties as Props;
    const metrics: Props[] = p.MetricName
      ? [p]
      : (p.Metrics ?? []).flatMap((m: Props) => (m.MetricStat ? [m.MetricStat.Metric] : []));
    for (const m of metrics.filter((x) => x.Namespace === METRICS_NAMESPACE)) {
      const dims = (m.Dimensions ?? []).map((d: Props) => `${d.Name}=${JSON.stringify(d.Value)}`).sort();
      out.push(`${m.MetricName}{${dims.join(',')}}`);
    }
  }
  return out;
}

/** The name properties CloudFormation resources take (their physical names). */
const NAME_KEYS =
  /^(Name|AlarmName|ConfigurationName|TrailName|ManagedPolicyName|RoleName|LogGroupName|TopicName|QueueName|BucketName|FunctionName|DashboardName|GroupName|RuleName)$/;

/** Every physical name a resource is given (a literal, or joined with pseudo parameters), never a reference. */
function physicalNames(t: Template): string[] {
  const names: string[] = [];
  const isReference = (v: unknown) =>
    JSON.stringify(v).includes('"Ref":"') && !JSON.stringify(v).includes('"Ref":"AWS::');
  for (const r of Object.values(t.toJSON().Resources as Record<string, Props>)) {
    for (const [k, v] of Object.entries(r.Properties ?? {})) {
      if (!NAME_KEYS.test(k) || isReference(v) || JSON.stringify(v).includes('Fn::GetAtt')) continue;
      names.push(JSON.stringify(v));
    }
  }
  return names;
}

describe('two stacks in one account and region', () => {
  it("read disjoint metric series: one stack's runs and deploy windows are never the other's", () => {
    const [a, b] = stacks.map((s) => ourSeries(s.template));
    expect(a.length).toBeGreaterThanOrEqual(3); // liveness (two triggers) and DeployWindowOpen
    expect(b.length).toBe(a.length);
    expect(a.filter((x) => b.includes(x))).toEqual([]);
  });

  it('each function emits the service dimension its own alarms read', () => {
    for (const { template } of stacks) {
      const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0].Properties as Props;
      const service = fn.Environment.Variables.POWERTOOLS_SERVICE_NAME;
      for (const series of ourSeries(template))
        expect(series).toContain(`service=${JSON.stringify(service)}`);
    }
  });

  it('name every resource they name differently', () => {
    const [a, b] = stacks.map((s) => physicalNames(s.template));
    expect(a.length).toBeGreaterThanOrEqual(8); // alarms, the health rule, the chat configuration
    expect(a.filter((x) => b.includes(x))).toEqual([]);
  });

  it("count only their own schedules' failures to reach the dead-letter queue, never the account's default group", () => {
    for (const { stackName, template } of stacks) {
      const groups = Object.entries(template.findResources('AWS::Scheduler::ScheduleGroup'));
      expect(groups).toHaveLength(1);
      const [groupId, group] = groups[0];
      expect(group.Properties.Name).toBe(`${stackName}-checks`);
      for (const s of Object.values(template.findResources('AWS::Scheduler::Schedule'))) {
        expect(s.Properties.GroupName).toBe(`${stackName}-checks`);
        expect(s.DependsOn).toContain(groupId);
      }
      const lost = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find(
        (a) => a.Properties.AlarmName === `${stackName}-lost-checks`,
      )!.Properties as Props;
      const scheduler = (lost.Metrics as Props[])
        .map((m) => m.MetricStat?.Metric)
        .filter((m) => m?.Namespace === 'AWS/Scheduler');
      expect(scheduler).toHaveLength(1);
      expect(scheduler[0].Dimensions).toEqual([{ Name: 'ScheduleGroup', Value: `${stackName}-checks` }]);
      // Scheduler may assume the target role for this group's schedules.
      const role = Object.entries(template.findResources('AWS::IAM::Role')).find(([id]) =>
        id.startsWith('SchedulerRoleForTarget'),
      )![1];
      expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain(groupId);
    }
  });
});
