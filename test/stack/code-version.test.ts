// The deployed version covers code and resolved configuration: a config-only deploy is a new version.
import { join } from 'node:path';
import { codeVersion } from '../../lib/stack/code-version';

const ROOT = join(__dirname, '../..');

describe('codeVersion', () => {
  const config = {
    primaryCron: 'cron(7 13-21 ? * MON-FRI *)',
    thresholds: { AEGIS_PT_PENDING_ORDER_WARN: '2' },
    alertEmails: ['a@x.example'],
  };
  it.each([
    ['a cron', { ...config, primaryCron: 'cron(5 13-21 ? * MON-FRI *)' }],
    ['a threshold', { ...config, thresholds: { AEGIS_PT_PENDING_ORDER_WARN: '3' } }],
    ['a destination', { ...config, alertEmails: ['b@x.example'] }],
  ])('changes with %s', (_name, changed) => {
    expect(codeVersion(ROOT, changed)).not.toBe(codeVersion(ROOT, config));
  });

  it('is the same for the same configuration in another key order, and 16 hex digits', () => {
    const reordered = {
      alertEmails: config.alertEmails,
      thresholds: config.thresholds,
      primaryCron: config.primaryCron,
    };
    expect(codeVersion(ROOT, reordered)).toBe(codeVersion(ROOT, config));
    expect(codeVersion(ROOT, config)).toMatch(/^[0-9a-f]{16}$/);
  });
});
