// Looking at a rendered session report as a person would: open it in Chromium at a width, and measure
// what the events chart draws (label and marker boxes) in the page's own pixels.
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

export async function openReport(browser: Browser, file: string, width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(pathToFileURL(file).href);
  return page;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly what: string;
}

/** The events chart's label boxes, its markers' shapes, and the chart's own box. */
export async function eventsLayout(page: Page): Promise<{ labels: Box[]; marks: Box[]; chart: Box }> {
  // A string, so it runs in the page without DOM types in this project's tsconfig.
  return page.evaluate(`(() => {
    const box = (el, what) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height, what }; };
    const chart = document.querySelector('svg[data-chart="events"]');
    return {
      chart: box(chart, 'chart'),
      labels: [...chart.querySelectorAll('text.row-label')].map((t) => box(t, t.textContent)),
      marks: [...chart.querySelectorAll('.event-marker circle, .event-marker rect, .event-marker line')].map((m) =>
        box(m, m.parentElement.getAttribute('data-code'))),
    };
  })()`);
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Every pair of labels that overlap, every label on a marker, every label out of the chart. */
export function collisions(layout: { labels: Box[]; marks: Box[]; chart: Box }): string[] {
  const out: string[] = [];
  const { labels, marks, chart } = layout;
  labels.forEach((a, i) => {
    for (const b of labels.slice(i + 1))
      if (overlap(a, b)) out.push(`label ${a.what} overlaps label ${b.what}`);
    for (const m of marks) if (overlap(a, m)) out.push(`label ${a.what} lies on a marker of ${m.what}`);
    if (a.x < chart.x - 0.5 || a.x + a.w > chart.x + chart.w + 0.5)
      out.push(`label ${a.what} leaves the chart`);
  });
  return out;
}

/** What a report page shows at a glance: its first lines, its tiles and what it counts. */
export interface ReportFigures {
  readonly summary: readonly string[];
  readonly tiles: readonly string[];
  readonly runs: number;
  readonly events: number;
  readonly notifications: number;
}

export async function reportFigures(page: Page): Promise<ReportFigures> {
  return {
    summary: await page.locator('[data-summary] p').allInnerTexts(),
    tiles: (await page.locator('.summary > div').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()),
    runs: await page.locator('.run-tick').count(),
    events: await page.locator('.event-marker').count(),
    notifications: await page.locator('tr.notification').count(),
  };
}

/** Silence ids end in random hex (w-20260601T1828-9c24): two runs of the demo differ only there. */
export function withoutRandomIds(figures: ReportFigures): ReportFigures {
  const norm = (s: string) => s.replace(/\b([ws]-\d{8}T\d{4})-[0-9a-f]{4,}\b/g, '$1-xxxx');
  return { ...figures, summary: figures.summary.map(norm), tiles: figures.tiles.map(norm) };
}
