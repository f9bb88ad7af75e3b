import { CurrencySelect } from '@/components/layout/currency-select';
import { UrlForm } from '@/components/layout/url-form';
import { PERIOD_CHOICES } from '@/lib/periods';

/**
 * Chooses the Overview's period and the currency every amount is converted to, among the
 * currencies with exchange rates. It needs nothing from the page's query, so it stays usable
 * when that query fails.
 */
export function PeriodPicker({ days, currency, currencies }: { days: number; currency: string; currencies: string[] }) {
  return (
    <UrlForm label="Period and currency" className="inline-form" submitOnChange>
      <label>
        Period
        <select name="days" defaultValue={String(days)}>
          {PERIOD_CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              Last {choice} days
            </option>
          ))}
        </select>
      </label>
      <CurrencySelect label="Currency" currencies={currencies} value={currency} />
      <noscript>
        <button type="submit" className="button">
          Apply
        </button>
      </noscript>
    </UrlForm>
  );
}
