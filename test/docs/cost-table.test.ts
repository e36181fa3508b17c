// The README's cost table is what the synthesized template and a day of checks at its crons cost: the
// block `npm run docs:cost` writes must agree with a fresh computation, and a billable type the script
// does not know stops it instead of costing nothing.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { billedRotations, costMarkdown, costTable, synthesizedTemplate, type CostTable } from '../../scripts/cost/cost-table';
import { templateUsage, UnpricedResourceError } from '../../scripts/cost/template-usage';
import { parseFigureBlocks } from '../../scripts/readme-figures';

const ROOT = resolve(__dirname, '../..');

/** Table rows as cells, by item. */
function rows(markdown: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|') || /^\|\s*-/.test(line)) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells[0] !== 'Item') out.set(cells[0], cells.slice(1));
  }
  return out;
}

const dollars = (cell: string) => (cell.startsWith('<') ? 0 : Number(cell.replace(/\*/g, '')));
/**
 * Lines measured from a day of checks (S3 requests and bytes, log bytes) move when the check's reads
 * and writes change: within 5% they still tell the truth; past it, run `npm run docs:cost`. Every
 * line counted from the template must match exactly.
 */
const MEASURED = new Set(['S3 PUT and LIST', 'S3 GET', 'S3 storage', 'CloudWatch Logs ingested']);
const numbers = (text: string) => [...text.matchAll(/\d[\d,]*(?:\.\d+)?/g)].map((m) => Number(m[0].replace(/,/g, '')));
const near = (a: number, b: number, slack: number) => Math.abs(a - b) <= Math.max(slack, 0.05 * Math.abs(b));

describe("README's cost table", () => {
  let template: { Resources: Record<string, { Type: string; Properties: any }> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  let table: CostTable;
  let fresh: Map<string, string[]>;
  let readme: Map<string, string[]>;

  beforeAll(async () => {
    template = synthesizedTemplate(ROOT) as typeof template;
    table = await costTable(template);
    fresh = rows(costMarkdown(table));
    const block = parseFigureBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8')).blocks.find(
      (b) => b.id === 'cost-table',
    );
    readme = rows(block?.body ?? '');
  }, 240_000);

  it('has every line the template bills, with the same counts and prices', () => {
    expect([...readme.keys()]).toEqual([...fresh.keys()]);
    for (const [item, cells] of fresh) {
      const [quantity, price] = cells;
      const written = readme.get(item)?.[0] ?? '';
      if (!MEASURED.has(item)) expect({ item, quantity: written }).toEqual({ item, quantity });
      else {
        const [a, b] = [numbers(written), numbers(quantity)];
        expect({ item, near: a.length === b.length && a.every((x, i) => near(x, b[i], 0)) }).toEqual({ item, near: true });
      }
      expect({ item, price: readme.get(item)?.[1] }).toEqual({ item, price });
    }
  });

  it('has the same dollars, to the cent on every line counted from the template', () => {
    const off: string[] = [];
    for (const [item, cells] of fresh) {
      const years = cells.slice(2).map(dollars);
      const written = (readme.get(item) ?? []).slice(2).map(dollars);
      // A cent either way (rounding); the measured lines and the totals as the measured lines move.
      const slack = MEASURED.has(item) || item.includes('Total') ? 0.03 : 0.011;
      years.forEach((usd, n) => {
        if (!near(written[n] ?? NaN, usd, slack)) off.push(`${item}, year ${n + 1}: README ${written[n]}, template ${usd}`);
      });
    }
    expect(off).toEqual([]);
  });

  it('counts the one-minute default: both schedules every session minute, every alarm metric', () => {
    const crons = table.template.crons;
    expect(crons).toEqual(['cron(* 13-21 ? * MON-FRI *)', 'cron(2/5 13-21 ? * MON-FRI *)']);
    // 540 + 108 runs a weekday, 261 weekdays a year.
    expect(Math.round(table.runsPerMonth)).toBe(Math.round((648 * 261) / 12));
    const stats = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .reduce((a, r) => a + (r.Properties.MetricName ? 1 : r.Properties.Metrics.filter((m: object) => 'MetricStat' in m).length), 0);
    expect(table.template.alarmMetrics).toBe(stats);
  });
});

describe('templateUsage', () => {
  const fn = {
    Type: 'AWS::Lambda::Function',
    Properties: { MemorySize: 256, Environment: { Variables: { AEGIS_PT_CLUSTER: 'c', POWERTOOLS_METRICS_NAMESPACE: 'N' } } },
  };

  it('stops on a resource type it cannot price, naming it', () => {
    const t = { Resources: { Fn: fn, Nat: { Type: 'AWS::EC2::NatGateway', Properties: {} } } };
    expect(() => templateUsage(t)).toThrow(UnpricedResourceError);
    expect(() => templateUsage(t)).toThrow(/AWS::EC2::NatGateway \(Nat\) is not in the cost table/);
  });

  it('bills each metric inside a math alarm, and a high-resolution one apart', () => {
    const stat = (name: string, period = 60) => ({
      Id: name.toLowerCase(),
      MetricStat: { Metric: { Namespace: 'N', MetricName: name, Dimensions: [{ Name: 'service', Value: 's' }] }, Period: period, Stat: 'Sum' },
    });
    const t = {
      Resources: {
        Fn: fn,
        Math: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: { Metrics: [{ Id: 'e', Expression: 'a + b + c' }, stat('A'), stat('B'), stat('C', 10)] },
        },
        Plain: { Type: 'AWS::CloudWatch::Alarm', Properties: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Period: 300 } },
        Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
      },
    };
    expect(templateUsage(t)).toMatchObject({
      alarms: 2,
      alarmMetrics: 3,
      highResAlarmMetrics: 1,
      keys: 1,
      rotatingKeys: 1,
      rotationPeriodsDays: [365],
      alarmSeries: ['A{service=s}', 'B{service=s}', 'C{service=s}'],
    });
  });
});

describe('KMS rotations billed', () => {
  it('bills each rotation done before the year starts, at most two a key', () => {
    expect([1, 2, 3].map((y) => billedRotations([365], y))).toEqual([0, 1, 2]);
    expect([1, 2, 3].map((y) => billedRotations([730], y))).toEqual([0, 0, 1]);
    expect([1, 2, 3].map((y) => billedRotations([90], y))).toEqual([0, 2, 2]);
    expect([1, 2, 3].map((y) => billedRotations([365, 2560], y))).toEqual([0, 1, 2]);
  });

  it("reads a key's RotationPeriodInDays from the template", () => {
    const fn = {
      Type: 'AWS::Lambda::Function',
      Properties: { MemorySize: 256, Environment: { Variables: { AEGIS_PT_CLUSTER: 'c', POWERTOOLS_METRICS_NAMESPACE: 'N' } } },
    };
    const t = {
      Resources: {
        Fn: fn,
        Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, RotationPeriodInDays: 730 } },
        Plain: { Type: 'AWS::KMS::Key', Properties: {} },
      },
    };
    expect(templateUsage(t)).toMatchObject({ keys: 2, rotatingKeys: 1, rotationPeriodsDays: [730] });
  });
});
