import { type AlertToEvaluate, evaluateAlert, type ProductPrice } from '../alert-rules';

const now = new Date('2026-03-01T12:00:00Z');
const earlier = new Date('2026-02-01T12:00:00Z');
const alert = (changes: Partial<AlertToEvaluate> = {}): AlertToEvaluate => ({
  targetMinorUnits: 1_000,
  currency: 'USD',
  status: 'WAITING',
  triggeredAt: null,
  ...changes,
});
const asking = (minorUnits: number, currency = 'USD', status = 'ACTIVE'): ProductPrice => ({
  status,
  price: { minorUnits, currency },
});

describe('the alert rules', () => {
  it('triggers at or below the target, and fires only on the crossing', () => {
    expect(evaluateAlert(alert(), asking(1_000), now)).toEqual({
      status: 'TRIGGERED',
      lastPrice: { minorUnits: 1_000, currency: 'USD' },
      triggeredAt: now,
      fired: true,
    });
    const stillBelow = evaluateAlert(alert({ status: 'TRIGGERED', triggeredAt: earlier }), asking(900), now);
    expect(stillBelow).toMatchObject({ status: 'TRIGGERED', triggeredAt: earlier, fired: false });
  });

  it('waits above the target, which re-arms a triggered alert', () => {
    const above = evaluateAlert(alert({ status: 'TRIGGERED', triggeredAt: earlier }), asking(1_001), now);
    expect(above).toMatchObject({ status: 'WAITING', triggeredAt: earlier, fired: false });
    expect(evaluateAlert(alert({ triggeredAt: earlier }), asking(999), now)).toMatchObject({ fired: true });
  });

  it('waits while the listing has no current price (out of stock), re-arming a triggered alert', () => {
    const outOfStock = { status: 'ACTIVE', price: null };
    expect(evaluateAlert(alert({ status: 'TRIGGERED', triggeredAt: earlier }), outOfStock, now)).toEqual({
      status: 'WAITING',
      lastPrice: null,
      triggeredAt: earlier,
      fired: false,
    });
    expect(evaluateAlert(alert({ triggeredAt: earlier }), asking(1_000), now)).toMatchObject({ fired: true });
  });

  it('never compares amounts in different currencies', () => {
    expect(evaluateAlert(alert(), asking(1, 'EUR'), now)).toMatchObject({
      status: 'CURRENCY_MISMATCH',
      lastPrice: { minorUnits: 1, currency: 'EUR' },
      fired: false,
    });
  });

  it('reports listings that ended, sold out or left the catalog', () => {
    expect(evaluateAlert(alert(), asking(1, 'USD', 'ENDED'), now)).toMatchObject({ status: 'ENDED', fired: false });
    expect(evaluateAlert(alert(), asking(1, 'USD', 'SOLD'), now)).toMatchObject({ status: 'ENDED' });
    expect(evaluateAlert(alert(), null, now)).toEqual({
      status: 'NOT_FOUND',
      lastPrice: null,
      triggeredAt: null,
      fired: false,
    });
  });
});
