// The collect stage: a source that has not answered when its budget is spent is that source's error,
// and ECS's calls still under way are aborted then (they do not go on using the run's time).
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { secretToken, TOKEN_MAX_AGE_MS } from '../../lambda/adapters/secret-token';
import { collect } from '../../lambda/check/collect';
import type { EcsResult } from '../../lambda/ports';

describe('collect', () => {
  it("aborts ECS's calls when the collect budget is spent", async () => {
    let seen: AbortSignal | undefined;
    const result = await collect(
      {
        clock: { now: () => new Date('2026-06-01T14:07:00Z') },
        dashboard: { fetch: async () => ({ payload: {} }) },
        ecs: {
          observe: (signal?: AbortSignal) => {
            seen = signal;
            return new Promise<EcsResult>(() => undefined);
          },
        },
      },
      50,
    );
    expect(result).toMatchObject({ ecs_error: 'ECS did not answer within 50 ms' });
    expect(seen?.aborted).toBe(true);
  });
});

describe('the dashboard token', () => {
  it('is read again after a few minutes, and at once when asked to refresh', async () => {
    const sm = mockClient(SecretsManagerClient);
    let version = 0;
    sm.on(GetSecretValueCommand).callsFake(async () => ({ SecretString: `tok-${++version}` }));
    let now = 0;
    const token = secretToken(new SecretsManagerClient({}), 'arn:secret', () => now);
    expect(await token()).toBe('tok-1');
    now += TOKEN_MAX_AGE_MS - 1;
    expect(await token()).toBe('tok-1');
    now += 1;
    expect(await token()).toBe('tok-2');
    expect(await token({ refresh: true })).toBe('tok-3');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(3);
    sm.restore();
  });
});
