import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { CurrencySelect } from '@/components/layout/currency-select';
import { UrlForm } from '@/components/layout/url-form';
import { PERIOD_CHOICES } from '@/lib/periods';

export const PeriodPickerFragment = graphql(`
  fragment PeriodPicker on Query {
    marketplaces {
      id
      defaultCurrency
    }
  }
`);

/** Chooses the Overview's period and the currency every amount is converted to. */
export function PeriodPicker({
  query,
  days,
  currency,
}: {
  query: FragmentType<typeof PeriodPickerFragment>;
  days: number;
  currency: string;
}) {
  const { marketplaces } = getFragmentData(PeriodPickerFragment, query);
  const currencies = [...new Set(marketplaces.map((marketplace) => marketplace.defaultCurrency))].sort();
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
