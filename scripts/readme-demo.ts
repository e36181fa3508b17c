// Writes what `npm run demo` prints into README's demo blocks (`npm run docs:demo`): the noteworthy
// checks, each notification's subject and SMS, the first escalation email and the daily digest.
// test/demo/report-demo.test.ts runs the demo and fails when README no longer shows what it prints.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_MARKS } from '../lambda/adapters/console-notifier';
import { runDemo } from '../lib/demo/run-demo';
import { writeReadmeFigures } from './readme-figures';

// The console notifier prints the email in full between its marks; the page's SMS and the chat headline
// on one line each, for the audiences each message went to.
const { email: NOTICE_START, end: NOTICE_END } = CONSOLE_MARKS;
const routedLine = (l: string) =>
  [`Subject: `, CONSOLE_MARKS.page, CONSOLE_MARKS.chat].some((m) => l.startsWith(m));
const DIGEST_HEAD = 'The daily digest';

const fence = (lines: readonly string[]) => ['```', ...lines, '```'].join('\n');

/** Each printed notification's lines, between its start and end markers. */
function notices(printed: string): string[][] {
  const out: string[][] = [];
  let current: string[] | null = null;
  for (const line of printed.split('\n')) {
    if (line === NOTICE_START) current = [];
    else if (line === NOTICE_END && current) {
      out.push(current);
      current = null;
    } else current?.push(line);
  }
  return out;
}

const email = (notice: readonly string[]) => notice.slice(notice.indexOf('Email:') + 1);

/** README's demo blocks, by id, from what the demo printed. */
export function demoBlocks(printed: string): Record<string, string> {
  const digestAt = printed.indexOf(DIGEST_HEAD);
  const alerts = notices(digestAt < 0 ? printed : printed.slice(0, digestAt));
  const [digest] = digestAt < 0 ? [] : notices(printed.slice(digestAt));
  const checks = printed.split('\n').filter((l) => /^(\d\d:\d\d ET {2}| {10}gate )/.test(l));
  const escalation = alerts.find((n) => n.some((l) => l.startsWith('Decision: escalate')));
  return {
    'demo-checks': fence(checks),
    'demo-notifications': fence(
      (digestAt < 0 ? printed : printed.slice(0, digestAt)).split('\n').filter(routedLine),
    ),
    'demo-email': fence(escalation ? email(escalation) : ['(no escalation in the demo)']),
    'demo-digest': fence(
      digest
        ? [...printed.slice(digestAt).split('\n').filter(routedLine), ...email(digest)]
        : ['(no digest)'],
    ),
  };
}

async function main() {
  let printed = '';
  await runDemo(join(mkdtempSync(join(tmpdir(), 'aegis-demo-')), '.demo'), (text) => {
    printed += text;
  });
  for (const [id, body] of Object.entries(demoBlocks(printed))) writeReadmeFigures(id, body);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
