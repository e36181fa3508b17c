// Renders the demo's session report in Chromium and saves docs/demo-report.png (`npm run docs:screenshot`).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runDemo } from '../lib/demo/run-demo';
import { launchChromium } from '../test/helpers/browser';

async function main() {
  const result = await runDemo(resolve('.demo'), () => undefined);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1180, height: 900 } });
    await page.goto(pathToFileURL(result.reportPath).href);
    await page.screenshot({ path: resolve('docs/demo-report.png'), fullPage: true });
  } finally {
    await browser.close();
  }
  console.log('wrote docs/demo-report.png');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
