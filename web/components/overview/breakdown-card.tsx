import { formatChange, formatCount, formatMoney, type MoneyLike } from '@/lib/format';
import { ScrollRegion } from '@/components/layout/scroll-region';

/** One row of a breakdown: a group's name, its totals and its revenue change. */
export type BreakdownRow = {
  key: string;
  name: string;
  detail?: string;
  units: number;
  revenue: MoneyLike;
  change: number | null;
};

type BreakdownCardProps = { id: string; title: string; caption: string; groupLabel: string; rows: BreakdownRow[] };

/** A titled, ranked table with a bar showing each group's share of the largest revenue. */
export function BreakdownCard({ id, title, caption, groupLabel, rows }: BreakdownCardProps) {
  const largest = Math.max(0, ...rows.map((row) => Number(row.revenue.amount)));
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <ScrollRegion label={title}>
        <table className="table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{groupLabel}</th>
              <th scope="col" className="num">
                Units
              </th>
              <th scope="col" className="num">
                Revenue
              </th>
              <th scope="col" className="num">
                Change
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={4}>No sales in this period.</td>
              </tr>
            ) : null}
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">
                  {row.name}
                  {row.detail ? <span className="muted"> · {row.detail}</span> : null}
                  <span className="share" aria-hidden="true">
                    <span style={{ width: `${largest > 0 ? (Number(row.revenue.amount) / largest) * 100 : 0}%` }} />
                  </span>
                </th>
                <td className="num">{formatCount(row.units)}</td>
                <td className="num">{formatMoney(row.revenue)}</td>
                <td className="num">{formatChange(row.change)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}
