// The events chart's collision pass: a row's label never lies on a mark of its row, and stays in the chart.
import fc from 'fast-check';
import { placeLabel, textWidth, type Extent } from '../../lib/ops/report-labels';

const AREA = { left: 4, right: 1080, fontSize: 16 };

function extent(p: { x: number; anchor: 'start' | 'end' }, text: string): Extent {
  const w = textWidth(text, AREA.fontSize);
  return p.anchor === 'start' ? { x1: p.x, x2: p.x + w } : { x1: p.x - w, x2: p.x };
}
const overlaps = (a: Extent, b: Extent) => a.x1 < b.x2 && b.x1 < a.x2;

describe('placeLabel', () => {
  it('puts the label just after the first mark when it fits there', () => {
    const p = placeLabel({ text: 'stuck_exits', marks: [{ x1: 300, x2: 340 }] }, AREA);
    expect(p).toEqual({ x: 348, anchor: 'start', text: 'stuck_exits' });
  });

  it('sets it against the first mark from the left when a later episode of the row is too close', () => {
    // dashboard_unreachable at 13:03-13:07 and again at 14:30: the name does not fit between them.
    const marks = [
      { x1: 550, x2: 562 },
      { x1: 700, x2: 720 },
    ];
    const p = placeLabel({ text: 'dashboard_unreachable', marks }, AREA)!;
    expect(p).toEqual({ x: 542, anchor: 'end', text: 'dashboard_unreachable' });
  });

  it('goes further right, then further left, then shortens the name to the widest free stretch', () => {
    const text = 'gateway_unhealthy'; // ~180 units
    const right = placeLabel(
      {
        text,
        marks: [
          { x1: 100, x2: 120 },
          { x1: 200, x2: 210 },
        ],
      },
      AREA,
    )!;
    expect(right).toMatchObject({ x: 218, anchor: 'start' });
    const crowded = Array.from({ length: 40 }, (_, i) => ({ x1: 10 + i * 27, x2: 20 + i * 27 }));
    const short = placeLabel(
      { text, marks: [...crowded, { x1: 1100, x2: 1100 }] },
      { ...AREA, right: 1200 },
    )!;
    expect(short.text.endsWith('…')).toBe(true);
    expect(placeLabel({ text, marks: [{ x1: 0, x2: 2000 }] }, AREA)).toBeNull();
  });

  it('never covers a mark of its row and never leaves the chart (any marks)', () => {
    const mark = fc
      .tuple(fc.integer({ min: 0, max: 1100 }), fc.integer({ min: 0, max: 300 }))
      .map(([x, w]) => ({ x1: x, x2: x + w }));
    fc.assert(
      fc.property(
        fc.array(mark, { minLength: 1, maxLength: 12 }),
        fc.stringMatching(/^[a-z_]{3,30}$/),
        (marks, text) => {
          const p = placeLabel({ text, marks }, AREA);
          if (p === null) return;
          const box = extent(p, p.text);
          expect(box.x1).toBeGreaterThanOrEqual(AREA.left - 1e-9);
          expect(box.x2).toBeLessThanOrEqual(AREA.right + 1e-9);
          for (const m of marks) expect(overlaps(box, m)).toBe(false);
        },
      ),
    );
  });
});
