import Link from 'next/link';

export default function ProductNotFound() {
  return (
    <section className="card">
      <h1>No such product</h1>
      <p>There is no product with this id. It may never have existed, or the link is mistyped.</p>
      <p>
        <Link href="/products">Browse all products</Link>
      </p>
    </section>
  );
}
