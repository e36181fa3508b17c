// Every AWS call an operator's command makes is granted by the managed policies the stack offers: the
// calls are read from the code each command loads (its import graph, as esbuild bundles it), not from
// a list kept beside the policy. Reads (Get, List, Describe, Filter) must be in the read policy; the
// few writes a command can reach are the silence and invoke policies' (writing silences.json, doctor's
// probe). `invoke` is left out: it runs the Lambda's handler here, with the monitor's own permissions.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { COMMANDS } from '../../bin/commands/main';
import { synth } from './synth';

const ROOT = resolve(__dirname, '../..');

/** The IAM service prefix of each SDK client package (AWS's names, e.g. CloudWatch Logs is `logs`). */
const IAM_PREFIX: Readonly<Record<string, string>> = {
  cloudformation: 'cloudformation',
  cloudwatch: 'cloudwatch',
  'cloudwatch-logs': 'logs',
  ecs: 'ecs',
  lambda: 'lambda',
  s3: 's3',
  'secrets-manager': 'secretsmanager',
  sns: 'sns',
  sqs: 'sqs',
  sts: 'sts',
};
/** API operations whose IAM action has another name (Service Authorization Reference). */
const IAM_ACTION: Readonly<Record<string, string>> = {
  's3:ListObjectsV2': 's3:ListBucket',
  'lambda:Invoke': 'lambda:InvokeFunction',
};
/** Calls IAM does not authorize: any credentials may make them. */
const NO_PERMISSION = new Set(['sts:GetCallerIdentity']);
const RUNS_THE_HANDLER = new Set(['invoke']);

/** The project's source files a command's module loads, static and dynamic imports alike. */
function sourcesOf(command: string): string[] {
  const { metafile } = buildSync({
    entryPoints: [join(ROOT, 'bin/commands', `${command}.ts`)],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  return Object.keys(metafile!.inputs).filter((f) => !f.includes('node_modules'));
}

const exportsOf = new Map<string, Record<string, unknown>>();
function clientExports(pkg: string): Record<string, unknown> {
  if (!exportsOf.has(pkg)) exportsOf.set(pkg, require(`@aws-sdk/client-${pkg}`)); // eslint-disable-line @typescript-eslint/no-require-imports
  return exportsOf.get(pkg)!;
}

/** Each `new XCommand(` and `paginateX(` in a file, as the IAM action of the client it belongs to. */
function actionsIn(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const packages = [
    ...new Set([...text.matchAll(/['"]@aws-sdk\/client-([a-z0-9-]+)['"]/g)].map((m) => m[1])),
  ];
  const out: string[] = [];
  for (const m of text.matchAll(/new (?:\w+\.)?(\w+)Command\(|\bpaginate(\w+)\(/g)) {
    const operation = m[1] ?? m[2];
    const exported = m[1] ? `${operation}Command` : `paginate${operation}`;
    const owners = packages.filter((p) => exported in clientExports(p));
    if (owners.length !== 1) throw new Error(`${file}: ${exported} is from ${owners.length} of ${packages}`);
    const prefix = IAM_PREFIX[owners[0]];
    if (!prefix) throw new Error(`${file}: no IAM prefix for @aws-sdk/client-${owners[0]}: add it above`);
    const action = `${prefix}:${operation}`;
    out.push(IAM_ACTION[action] ?? action);
  }
  return out;
}

type Statement = { Action: string | string[] };
function policyActions(id: string): Set<string> {
  const template = synth({
    operatorRoleArns: 'arn:aws:iam::123456789012:role/ops',
    dashboardSecretArn: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:aegis/dashboard',
  });
  const [, policy] = Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).find(([k]) =>
    k.startsWith(id),
  )!;
  const statements = policy.Properties.PolicyDocument.Statement as Statement[];
  return new Set(statements.flatMap((s) => [s.Action].flat()));
}

const commands = Object.keys(COMMANDS).filter((c) => !RUNS_THE_HANDLER.has(c));
const read = policyActions('OperatorsRead');
const writes = new Set([...policyActions('OperatorsSilence'), ...policyActions('OperatorsInvoke')]);
const isRead = (action: string) => /:(Get|List|Describe|Filter)/.test(action);

describe("the operators' managed policies cover every call their commands make", () => {
  it('finds the calls (doctor reads the stack, its resources, subscriptions, alarms, logs)', () => {
    const doctor = sourcesOf('doctor').flatMap(actionsIn);
    expect(doctor).toEqual(
      expect.arrayContaining([
        'cloudformation:DescribeStacks',
        'cloudformation:ListStackResources',
        'sns:ListSubscriptionsByTopic',
        'cloudwatch:DescribeAlarms',
        'logs:FilterLogEvents',
        'lambda:InvokeFunction',
      ]),
    );
  });

  it.each(commands)('%s: its reads are in the read policy, its writes in silence or invoke', (command) => {
    const calls = [...new Set(sourcesOf(command).flatMap(actionsIn))].filter((a) => !NO_PERMISSION.has(a));
    expect(calls.filter((a) => isRead(a) && !read.has(a))).toEqual([]);
    expect(calls.filter((a) => !isRead(a) && !writes.has(a))).toEqual([]);
  });
});
