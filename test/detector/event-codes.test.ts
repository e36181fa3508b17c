// The codes a silence may name and their escalation class are the spec's catalog (section 5), read
// from the spec itself, so a catalog change that forgets this table fails here.
import { readFileSync } from 'node:fs';
import { EVENT_ESCALATION } from '../../lambda/detector/event-codes';
import { sharedPath } from '../helpers/shared';

function catalog(): Record<string, string> {
  const spec = readFileSync(sharedPath('spec/detector-contract.md'), 'utf8');
  const section = spec.slice(spec.indexOf('## 5. Event catalog'), spec.indexOf('## 6.'));
  const rows: Record<string, string> = {};
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const code = /^`([a-z0-9_]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!code) continue;
    const escalate = cells[cells.length - 2];
    rows[code] = escalate === 'yes' ? 'always' : escalate === 'no' ? 'never' : 'sometimes';
  }
  return rows;
}

describe('the event codes', () => {
  it('are the catalog, each with the escalation its row says (yes, no, or a condition)', () => {
    const rows = catalog();
    expect(Object.keys(rows).length).toBeGreaterThan(25);
    expect(EVENT_ESCALATION).toEqual(rows);
    expect(Object.keys(EVENT_ESCALATION)).toEqual(Object.keys(rows));
  });
});
