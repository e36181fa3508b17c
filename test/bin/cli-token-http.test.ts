// The CLI refuses, before any call, to send the dashboard's bearer token over plain http to anything
// but a private address: exit 2, one line naming AEGIS_PT_DASHBOARD_URL.
import { main } from '../../bin/commands/main';
import { captureIo } from '../helpers/cli-io';

const CONFIG = {
  AEGIS_PT_CLUSTER: 'aegis-pt',
  AEGIS_PT_SERVICE: 'aegis-pt-core',
  AEGIS_PT_DASHBOARD_SECRET_ARN:
    'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:aegis/dash-AbCdEf',
};

const LIVE: readonly (readonly string[])[] = [
  ['detect'],
  ['gate', '--phase', 'pre', '--out', '/nonexistent/never-written.json'],
  ['snapshot'],
];

describe.each(LIVE.map((a) => [a.join(' '), a] as const))('%s', (_name, args) => {
  it.each(['http://203.0.113.10:8080', 'http://[2001:db8::5]:8080'])(
    'refuses the token over plain http to the public address %s',
    async (url) => {
      const io = captureIo({ stdin: '{}', env: { ...CONFIG, AEGIS_PT_DASHBOARD_URL: url } });
      expect(await main([...args], io)).toBe(2);
      expect(io.err.trimEnd().split('\n')).toEqual([
        expect.stringMatching(
          /: AEGIS_PT_DASHBOARD_URL: refusing to send the dashboard token over plain http to .* is not a private address\): use https, or http to a private address inside the VPC$/,
        ),
      ]);
      expect(io.out).toBe('');
    },
  );

  it('goes on to the AWS checks for https and for plain http to a private address', async () => {
    for (const url of ['https://dash.example.com', 'http://10.0.3.7:8080', 'http://127.0.0.1:9']) {
      const io = captureIo({
        stdin: '{}',
        env: { ...CONFIG, AEGIS_PT_DASHBOARD_URL: url, AWS_CONFIG_FILE: '/nonexistent', AWS_REGION: '' },
      });
      await main([...args], io);
      expect(io.err).not.toMatch(/refusing to send the dashboard token/);
    }
  });
});
