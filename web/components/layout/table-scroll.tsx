import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways on narrow screens. The container takes keyboard focus and is
 * a named region, so its hidden columns can be reached without a pointer (axe:
 * scrollable-region-focusable).
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
