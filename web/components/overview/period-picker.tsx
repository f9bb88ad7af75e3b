import { CurrencySelect } from '@/components/layout/currency-select';
import { UrlForm } from '@/components/layout/url-form';
import { type Comparison, comparisonLabel, PERIOD_CHOICES } from '@/lib/periods';

/**
 * Chooses the Overview's period, what it is compared with (`?compare=year` for the same days
 * a year before) and the currency every amount is converted to, among the currencies with
 * exchange rates. It needs nothing from the page's query, so it stays usable when that query fails.
 */
export function PeriodPicker({
  days,
  comparison,
  currency,
  currencies,
}: {
  days: number;
  comparison: Comparison;
  currency: string;
  currencies: string[];
}) {
  return (
    <UrlForm label="Period, comparison and currency" className="inline-form" submitOnChange>
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
      <label>
        Compare with
        <select name="compare" defaultValue={comparison === 'year' ? 'year' : ''}>
          <option value="">{comparisonLabel(days, 'period')}</option>
          <option value="year">{comparisonLabel(days, 'year')}</option>
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
