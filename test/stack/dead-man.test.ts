// The optional dead-man's switch outside AWS: the context that configures it, what the Lambda gets,
// and the schedule outside AWS derived from the crons (the README's example included).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { deadManSchedule } from '../../lambda/shared/dead-man-schedule';
import { livenessShape } from '../../lambda/shared/quiet-windows';
import { CADENCES, scheduleDefinitions } from '../../lambda/shared/schedules';
import { synth } from './synth';

const SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:aegis/dead-man';
const SWITCH = { deadManPingUrl: 'https://hc-ping.com', deadManSecretArn: SECRET };

describe("the dead-man's switch in the stack", () => {
  it("gives the Lambda the URL and the secret's ARN, and lets it read that secret only", () => {
    const t = synth(SWITCH);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          AEGIS_PT_DEAD_MAN_URL: 'https://hc-ping.com',
          AEGIS_PT_DEAD_MAN_SECRET_ARN: SECRET,
        }),
      },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DeadManToken',
            Action: 'secretsmanager:GetSecretValue',
            Resource: `${SECRET}-??????`,
          }),
        ]),
      },
    });
    expect(t.findOutputs('DeadManPingUrl').DeadManPingUrl.Value).toBe('https://hc-ping.com');
  });

  it('is absent without the context', () => {
    const t = synth();
    expect(JSON.stringify(t.toJSON())).not.toContain('AEGIS_PT_DEAD_MAN');
    expect(t.findOutputs('DeadManPingUrl')).toEqual({});
  });

  it.each([
    [
      { deadManPingUrl: 'https://hc-ping.com' },
      /context "deadManSecretArn": is required with deadManPingUrl/,
    ],
    [{ deadManSecretArn: SECRET }, /context "deadManPingUrl": is required with deadManSecretArn/],
    [{ ...SWITCH, deadManPingUrl: 'http://hc-ping.com' }, /context "deadManPingUrl": must be https/],
    [
      { ...SWITCH, deadManPingUrl: 'https://hc-ping.com/?token=x' },
      /context "deadManPingUrl": must be a base URL/,
    ],
    [
      { ...SWITCH, deadManPingUrl: 'https://hc-ping.com/5f2a7b0e-1c3d-4e5f-8a9b-0c1d2e3f4a5b' },
      /context "deadManPingUrl": holds a check's UUID/,
    ],
    [
      { ...SWITCH, deadManSecretArn: 'aegis/dead-man' },
      /context "deadManSecretArn": .* is not a Secrets Manager/,
    ],
  ])('rejects %j naming the key', (context, message) => {
    expect(() => synth(context)).toThrow(message);
  });
});

describe("the dead-man's switch's schedule outside AWS", () => {
  it('lists the runs of both schedules as one cron, with the liveness grace', () => {
    const defs = scheduleDefinitions(CADENCES['5m'].primary, CADENCES['5m'].fallback);
    // The liveness alarm's detection time at the 5-minute interleave: the fallback alone leaves :52 to :12.
    expect(livenessShape(defs).detectionMin).toBe(20);
    expect(deadManSchedule(defs)).toEqual({
      cron: '7,12,17,22,27,32,37,42,47,52,57 13-21 * * MON-FRI',
      timezone: 'UTC',
      graceMin: 20,
      covers: 'both schedules',
    });
  });

  it('at the one-minute default: every minute, with the fallback alone (every 5) plus a minute as grace', () => {
    expect(deadManSchedule(scheduleDefinitions(CADENCES['1m'].primary, CADENCES['1m'].fallback))).toEqual({
      cron: '* 13-21 * * MON-FRI',
      timezone: 'UTC',
      graceMin: 6,
      covers: 'both schedules',
    });
  });

  it('writes a field that holds every value as *', () => {
    expect(
      deadManSchedule(scheduleDefinitions(CADENCES['1m'].primary, CADENCES['1m'].fallback)).cron,
    ).toMatch(/^\* 13-21 \* \* MON-FRI$/);
  });

  it('falls back to the primary schedule when the two together are no single cron', () => {
    const s = deadManSchedule(
      scheduleDefinitions('cron(0,30 13-21 ? * MON-FRI *)', 'cron(15,45 14-20 ? * MON-FRI *)'),
    );
    expect(s).toMatchObject({ cron: '0,30 13-21 * * MON-FRI', covers: 'the primary schedule' });
  });

  it("matches the README's example for the default schedules", () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const s = deadManSchedule(scheduleDefinitions());
    expect(readme).toContain(`\`${s.cron}\``);
    expect(readme).toContain(`grace **${s.graceMin} minutes**`);
  });
});
