// A dashboard secret that is not valid JSON: the real handler (run by `invoke`) against moto tells the
// operators the dashboard is unreachable, and no run of 8 characters of the token reaches what they
// receive (the SQS inbox behind the topic, SNS envelope and all), the run record, the snapshot, the log
// or the CLI's output.
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { main } from '../../bin/commands/main';
import { startDashboard, type LocalDashboard } from '../../lib/demo/fakes/dashboard-server';
import { payloadAt } from '../helpers/check-deps';
import { captureIo } from '../helpers/cli-io';
import { startMoto, useEmulatorEnv, type MotoServer, createBucket } from './moto-server';

jest.setTimeout(60_000);

/**
 * High entropy, with a `~` (in no base64, hex, ARN, UUID or timestamp) in every run of 8: a run found
 * anywhere is the token's, never a chance match in an SNS Signature or a message id.
 */
const TOKEN = 'Zq8v~X3kPw9L~mT7rB';
const RUN = 8;
/**
 * Not JSON, in the ways a hand-edited secret breaks; each starts with `{`. V8 (Node 22 and 24, the
 * Lambda's) quotes about ten characters around an unexpected token in its message.
 */
const BROKEN = [
  `{"token": ${TOKEN}}`,
  `{"token": "x", "bearer_token": ${TOKEN}}`,
  `{token: ${TOKEN}}`,
  `{"token": "${TOKEN}"`,
];
/** Every run of RUN characters of the token: a longer leak holds one. */
const fragments = Array.from({ length: TOKEN.length - RUN + 1 }, (_, i) => TOKEN.slice(i, i + RUN));
const leaked = (text: string) => fragments.filter((f) => text.includes(f));

let moto: MotoServer;
let dash: LocalDashboard;
let s3: S3Client;
let sqs: SQSClient;
let queueUrl: string;
let topicArn: string;

beforeAll(async () => {
  moto = await startMoto();
  useEmulatorEnv(moto.endpoint);
  dash = await startDashboard();
  s3 = new S3Client({ forcePathStyle: true });
  sqs = new SQSClient({});
  const sns = new SNSClient({});
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'leak-inbox' }))).QueueUrl as string;
  const queueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn as string;
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'leak-alerts' }))).TopicArn as string;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
});

afterAll(async () => {
  await dash?.close();
  await moto?.stop();
});

async function inbox(): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const res = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (!res.Messages?.length) return out;
    out.push(...res.Messages.map((m) => m.Body as string));
  }
}

async function bucketText(bucket: string): Promise<string> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const texts = await Promise.all(
    (listed.Contents ?? []).map(async (o) => {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key }));
      return (got.Body as { transformToString(): Promise<string> }).transformToString();
    }),
  );
  return texts.join('\n');
}

/**
 * Valid secrets whose token no HTTP header can carry (a line break or NUL inside, as a pasted or
 * hand-edited secret gets): the HTTP client's refusal quotes the whole header, token included.
 */
const UNSENDABLE = [
  `{"token": "${TOKEN.slice(0, 8)}\\n${TOKEN.slice(8)}"}`,
  `${TOKEN.slice(0, 8)}\r\n${TOKEN.slice(8)}`,
  `${TOKEN.slice(0, 8)}\u0000${TOKEN.slice(8)}`,
];

it.each([
  ...BROKEN.map(
    (s, i) =>
      [
        `broken secret ${i + 1}`,
        i + 1,
        s,
        'secret starts with { but is not valid JSON',
        'not valid JSON',
      ] as const,
  ),
  ...UNSENDABLE.map((s, i) => {
    const said = 'which an HTTP header cannot carry';
    return [`unsendable token ${i + 1}`, 10 + i, s, said, said] as const;
  }),
])(
  '%s: told as dashboard_unreachable, with no run of the token anywhere',
  async (_name, n, secretString, told, recorded) => {
    const secret = await new SecretsManagerClient({}).send(
      new CreateSecretCommand({ Name: `aegis/broken-${n}`, SecretString: secretString }),
    );
    const bucket = `leak-bucket-${n}`;
    await createBucket(s3, bucket);
    dash.serve({ kind: 'json', body: payloadAt(new Date().toISOString()) });
    dash.requests.length = 0;
    const io = captureIo({
      stdin: '{"trigger":"manual"}',
      env: {
        ...process.env,
        AEGIS_PT_CLUSTER: 'aegis-pt',
        AEGIS_PT_SERVICE: 'aegis-pt-core',
        AEGIS_PT_DASHBOARD_URL: dash.url,
        AEGIS_PT_DASHBOARD_SECRET_ARN: secret.ARN as string,
        AEGIS_PT_STATE_BUCKET: bucket,
        AEGIS_PT_TOPIC_ARN: topicArn,
      },
    });
    expect(await main(['invoke', '--event', '-'], io)).toBe(0);
    const result = JSON.parse(io.out);
    expect(result.new_events).toContain('dashboard_unreachable');
    expect(dash.requests).toHaveLength(0);

    const messages = await inbox();
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('\n')).toContain(told);
    const stored = await bucketText(bucket);
    expect(stored).toContain(recorded);
    const everything = [messages.join('\n'), stored, io.out, io.err].join('\n');
    expect(leaked(everything)).toEqual([]);
  },
);

describe('the search for the token', () => {
  it("finds what the parser's message quoted (the leak the secret reader closes)", () => {
    const quoted = BROKEN.slice(0, 2).map((s) => {
      try {
        JSON.parse(s);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('parsed');
    });
    for (const message of quoted) expect(leaked(message)).not.toEqual([]);
  });

  it("finds each half of a header the HTTP client's refusal would quote", () => {
    expect(
      leaked(`Invalid character in header content ["authorization"]: Bearer ${UNSENDABLE[0]}`),
    ).not.toEqual([]);
  });

  it('finds nothing in an SNS envelope whose base64 Signature holds short runs of the token', () => {
    const envelope = JSON.stringify({
      Type: 'Notification',
      MessageId: '0b4e6f3a-8d7c-4e21-9a55-3c1f2b7d9e80',
      Message: 'dashboard_unreachable: secret starts with { but is not valid JSON (its content is not shown)',
      SignatureVersion: '1',
      Signature: `EXAMPLEpH+${TOKEN.slice(0, 4)}${TOKEN.slice(5, 8)}w9LmT7rBZq8vX3kQ==`,
    });
    expect(leaked(envelope)).toEqual([]);
  });
});
