import type { ReactNode } from 'react';

/**
 * Content wider than a narrow screen (a table, a chart) that scrolls sideways inside the page
 * instead of widening it. The container takes keyboard focus and is a named region, so what
 * it hides can be reached without a pointer (axe: scrollable-region-focusable).
 */
export function ScrollRegion({
  label,
  className = 'table-wrap',
  children,
}: {
  label: string;
  className?: 'table-wrap' | 'chart-scroll';
  children: ReactNode;
}) {
  return (
    <div className={className} tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
