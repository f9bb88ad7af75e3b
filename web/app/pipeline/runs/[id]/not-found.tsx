import Link from 'next/link';

export default function RunNotFound() {
  return (
    <section className="card">
      <h1>No such run</h1>
      <p>There is no ingestion run with this id. The link may be mistyped, or the run belongs to another database.</p>
      <p>
        <Link href="/pipeline">See every run</Link>
      </p>
    </section>
  );
}
