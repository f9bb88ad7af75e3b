import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found' };

/** Any URL no page answers: a 404 with a way back. */
export default function NotFound() {
  return (
    <section className="card">
      <h1>Page not found</h1>
      <p>Nothing lives at this address. The link may be mistyped or out of date.</p>
      <p>
        <Link href="/">Back to the overview</Link>
      </p>
    </section>
  );
}
