// What the messages carry to SMS, email and Slack (README "What the messages carry"): no quantity, price,
// PnL amount or account number; symbols and ids only in email and chat, only where an event is about them.
import { renderMessage } from '../../lambda/detector/messages';
import { run } from '../helpers/bundle';

// Distinctive values that must never leave AWS in a message.
const QTY = 73_919;
const PNL = 48_213.57;
const PRICE = 9_187.25;

const troubled = run({
  status: {
    stuck_exits: 1,
    unknown_fill: true,
    max_exit_attempt_count: 14,
    open_positions: [
      { symbol: 'ZQXR', qty: QTY, tags: ['Broker'], exit_attempt_count: 14, avg_price: PRICE },
      { symbol: 'NVDA', qty: QTY + 1, tags: ['strategy:momo'], exit_attempt_count: 0 },
    ],
    recent_trades: [
      {
        trade_id: 't-secret-1',
        symbol: 'NVDA',
        closed_at: '2026-06-01T13:58:10Z',
        pnl: PNL,
        pnl_unknown: true,
      },
      { trade_id: 't-2', symbol: 'AAPL', closed_at: '2026-06-01T13:59:10Z', pnl: -PNL, pnl_unknown: false },
    ],
  },
});
const message = renderMessage(troubled);
const chat = JSON.stringify(JSON.parse(message.chat));
const parts = { subject: message.subject, sms: message.sms, email: message.email, chat };

describe('what the messages carry', () => {
  it('is about the events it tells', () => {
    for (const code of ['stuck_exits', 'unknown_fill', 'broker_import_positions', 'pnl_unknown_trades'])
      expect(troubled.new_events.map((e) => e.code)).toContain(code);
  });

  it.each(Object.keys(parts))(
    'never a quantity, a price, a PnL amount or the account number (%s)',
    (part) => {
      const text = parts[part as keyof typeof parts];
      for (const secret of [String(QTY), String(QTY + 1), '48213', '9187', '123456789012'])
        expect(text).not.toContain(secret);
    },
  );

  it('names symbols and trade ids in email and chat only where an event is about them', () => {
    for (const text of [message.email, chat]) {
      expect(text).toContain('ZQXR');
      expect(text).toContain('t-secret-1');
      expect(text).not.toContain('AAPL'); // a healthy closed trade and a normal position are nobody's business
    }
  });

  it('gives the pager codes only: no symbol, id or runtime number', () => {
    expect(message.sms).not.toMatch(/ZQXR|NVDA|t-secret|COIN/);
    expect(message.sms).toMatch(/^CRITICAL( aegis-pt)? \d\d:\d\dET ESCALATE new:/);
    const codes = message.sms.replace(/^.*new:/, '').split(/[ ,]/)[0];
    expect(codes).toMatch(/^[a-z_]+$/);
  });
});
