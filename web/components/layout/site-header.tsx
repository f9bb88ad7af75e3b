import Link from 'next/link';
import { NavLink } from './nav-link';

const SECTIONS = [
  { href: '/', label: 'Overview' },
  { href: '/products', label: 'Products' },
  { href: '/explorer', label: 'Explorer' },
  { href: '/pipeline', label: 'Pipeline' },
] as const;

/** The bar on every page: the product name and the sections. */
export function SiteHeader() {
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        Soldgraph
      </Link>
      <nav aria-label="Sections">
        <ul className="nav-list">
          {SECTIONS.map((section) => (
            <li key={section.href}>
              <NavLink href={section.href}>{section.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
