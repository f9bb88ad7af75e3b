/** A labelled select of ISO-4217 codes named `currency`, optionally with an "any" choice. */
export function CurrencySelect({
  label,
  currencies,
  value,
  anyLabel,
}: {
  label: string;
  currencies: readonly string[];
  value: string;
  anyLabel?: string;
}) {
  return (
    <label>
      {label}
      <select name="currency" defaultValue={value}>
        {anyLabel ? <option value="">{anyLabel}</option> : null}
        {currencies.map((code) => (
          <option key={code} value={code}>
            {code}
          </option>
        ))}
      </select>
    </label>
  );
}
