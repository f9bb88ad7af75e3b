/** Grey blocks in the shape of what is loading, announced once to screen readers. */
export function Skeleton({ blocks = 6, label }: { blocks?: number; label: string }) {
  return (
    <div className="skeleton" role="status" aria-live="polite">
      <span className="visually-hidden">{label}</span>
      <div className="skeleton-title" />
      <div className="skeleton-grid">
        {Array.from({ length: blocks }, (_, index) => (
          <div key={index} className="skeleton-block" />
        ))}
      </div>
      <div className="skeleton-wide" />
    </div>
  );
}
