// Where the events chart writes each row's name, so that no label lies on another label or on a marker
// of its row (a collision pass; pure, in the chart's own units). Rows are further apart than a line of
// text is tall, so only labels and markers of one row can meet. Widths are estimated from the font
// size: test/demo/report-layout.test.ts measures the real boxes in Chromium at 1280 and 700 px.

export interface Extent {
  readonly x1: number;
  readonly x2: number;
}

export interface LabelRow {
  readonly text: string;
  /** What the row draws (markers and bars), left to right or not. */
  readonly marks: readonly Extent[];
}

export interface PlacedLabel {
  /** Where the text starts (anchor `start`) or ends (anchor `end`: set against the mark on its right). */
  readonly x: number;
  readonly anchor: 'start' | 'end';
  /** The text drawn: the row's name, shortened with '…' only when no free stretch holds it whole. */
  readonly text: string;
}

export interface LabelArea {
  readonly left: number;
  readonly right: number;
  readonly fontSize: number;
}

/** Space kept between a label and a mark. */
const GAP = 8;
/** A generous average glyph width (system sans at ~0.6 em, underscores and `m` included). */
const EM_WIDTH = 0.66;
/** Fewer characters than this say nothing: the row goes unlabelled (the events table names it). */
const MIN_CHARS = 4;

export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * EM_WIDTH;
}

/** The stretches of [left, right] that no mark covers (marks widened by GAP). */
function freeStretches(marks: readonly Extent[], area: LabelArea): Extent[] {
  const taken = [...marks].map((m) => ({ x1: m.x1 - GAP, x2: m.x2 + GAP })).sort((a, b) => a.x1 - b.x1);
  const free: Extent[] = [];
  let from = area.left;
  for (const t of taken) {
    const to = Math.min(t.x1, area.right);
    if (to > from) free.push({ x1: from, x2: to });
    from = Math.max(from, t.x2);
  }
  if (from < area.right) free.push({ x1: from, x2: area.right });
  return free;
}

/**
 * One label per row, by preference: just after the row's first mark, just before it, then in the first
 * free stretch further right, then further left; shortened to the widest stretch when none holds it.
 */
export function placeLabel(row: LabelRow, area: LabelArea): PlacedLabel | null {
  const width = textWidth(row.text, area.fontSize);
  const free = freeStretches(row.marks, area);
  const firstX = Math.min(...row.marks.map((m) => m.x1));
  const right = free.filter((f) => f.x1 >= firstX);
  const left = free.filter((f) => f.x2 <= firstX).reverse();
  const holds = (f: Extent | undefined): f is Extent => f !== undefined && f.x2 - f.x1 >= width;
  const start = (f: Extent): PlacedLabel => ({ x: f.x1, anchor: 'start', text: row.text });
  // Set against the mark on its right, so it still reads as that row's name.
  const end = (f: Extent): PlacedLabel => ({ x: f.x2, anchor: 'end', text: row.text });
  if (holds(right[0])) return start(right[0]);
  if (holds(left[0])) return end(left[0]);
  const later = right.find(holds);
  if (later) return start(later);
  const earlier = left.find(holds);
  if (earlier) return end(earlier);
  const widest = free.reduce<Extent | null>(
    (a, f) => (a === null || f.x2 - f.x1 > a.x2 - a.x1 ? f : a),
    null,
  );
  if (!widest) return null;
  const chars = Math.floor((widest.x2 - widest.x1) / (area.fontSize * EM_WIDTH)) - 1;
  if (chars < MIN_CHARS) return null;
  return { x: widest.x1, anchor: 'start', text: `${row.text.slice(0, chars)}…` };
}
