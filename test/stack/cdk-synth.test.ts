// `npx cdk synth` as an operator runs it on a fresh clone: offline, no AWS credentials, real bundling.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

function cdk(args: string[]) {
  const home = mkdtempSync(join(tmpdir(), 'aegis-home-'));
  const out = mkdtempSync(join(tmpdir(), 'aegis-cdkout-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    CDK_DISABLE_VERSION_CHECK: '1',
    CI: 'true',
  };
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/aws-cdk/bin/cdk'), 'synth', '--quiet', '-o', out, ...args],
    {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  return { run, out };
}

describe('npx cdk synth with no credentials', () => {
  it('synthesizes the example configuration from cdk.json, bundling the Lambda under 1 MB', () => {
    const { run, out } = cdk([]);
    expect(run.status).toBe(0);
    const template = JSON.parse(readFileSync(join(out, 'AegisPtHealth.template.json'), 'utf8'));
    expect(Object.keys(template.Resources).length).toBeGreaterThan(25);
    // No region configured: the CLI falls back to us-east-1, which must not reach the resources (only
    // CDK's own metadata condition lists regions).
    const resources = Object.entries(template.Resources).filter(([id]) => id !== 'CDKMetadata');
    expect(JSON.stringify(resources)).not.toContain('us-east-1');
    const assets = JSON.parse(readFileSync(join(out, 'AegisPtHealth.assets.json'), 'utf8'));
    const lambdaAsset = Object.values(
      assets.files as Record<string, { source: { path: string; packaging?: string } }>,
    ).find((f) => f.source.packaging === 'zip');
    const size = statSync(join(out, lambdaAsset!.source.path, 'index.js')).size;
    expect(size).toBeLessThan(1024 * 1024);
  });

  it('renders -c clusterName and dashboardUrl into the template', () => {
    const { run, out } = cdk(['-c', 'clusterName=X', '-c', 'dashboardUrl=https://d.example']);
    expect(run.status).toBe(0);
    const text = readFileSync(join(out, 'AegisPtHealth.template.json'), 'utf8');
    const template = JSON.parse(text);
    const fn = Object.values(
      template.Resources as Record<
        string,
        { Type: string; Properties: { Environment: { Variables: Record<string, unknown> } } }
      >,
    ).find((r) => r.Type === 'AWS::Lambda::Function');
    expect(fn?.Properties.Environment.Variables).toMatchObject({
      AEGIS_PT_CLUSTER: 'X',
      AEGIS_PT_DASHBOARD_URL: 'https://d.example',
    });
  });

  it('fails with a message naming the key on a bad value', () => {
    const { run } = cdk(['-c', 'dashboardUrl=http://insecure.example']);
    expect(run.status).not.toBe(0);
    expect(run.stderr + run.stdout).toContain('context "dashboardUrl": must be https');
  });
});
