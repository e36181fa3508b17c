// Renders the demo's session report in Chromium and saves docs/demo-report.png (`npm run docs:screenshot`),
// with the figures it shows kept in the PNG (a tEXt chunk) and written into README's `demo-report`
// block: test/demo/report-demo.test.ts fails when the picture no longer shows what the demo makes.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runDemo } from '../lib/demo/run-demo';
import { launchChromium } from '../test/helpers/browser';
import { openReport, reportFigures, withoutRandomIds } from '../test/helpers/report-page';
import { withPngText } from './png-text';
import { writeReadmeFigures } from './readme-figures';

export const SCREENSHOT = 'docs/demo-report.png';
/** The tEXt keyword of the figures in the PNG. */
export const FIGURES_KEY = 'aegis-report-figures';
export const SCREENSHOT_WIDTH = 1180;

/** JSON in Latin-1 (tEXt's character set): anything else as \u escapes. */
const latin1Json = (value: unknown) =>
  JSON.stringify(value).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

async function main() {
  const result = await runDemo(resolve('.demo'), () => undefined);
  const browser = await launchChromium();
  try {
    const page = await openReport(browser, result.reportPath, SCREENSHOT_WIDTH);
    const figures = await reportFigures(page);
    const png = await page.screenshot({ fullPage: true });
    writeFileSync(resolve(SCREENSHOT), withPngText(png, FIGURES_KEY, latin1Json(withoutRandomIds(figures))));
    writeReadmeFigures(
      'demo-report',
      [
        `The session report the demo writes (\`.demo/report-2026-06-01.html\`; the same page`,
        '`aegis-pt-health report --runs-dir .demo --date 2026-06-01` writes), as headless Chromium shows it',
        `at ${SCREENSHOT_WIDTH} px (\`npm run docs:screenshot\` regenerates the picture and this text; a test`,
        'fails when they no longer show what the demo makes). It opens with what happened:',
        '',
        ...figures.summary.map((s) => `> ${s}\n>`),
        '',
        `Below that: ${figures.tiles.join(', ')}; ${figures.events} event markers, ${figures.runs} run ticks and ${figures.notifications} notifications.`,
        '',
        `![The demo's session report](${SCREENSHOT})`,
      ].join('\n'),
    );
    console.log(`wrote ${SCREENSHOT} (${readFileSync(resolve(SCREENSHOT)).length} bytes)`);
  } finally {
    await browser.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
