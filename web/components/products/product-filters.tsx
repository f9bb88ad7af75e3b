import Link from 'next/link';
import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { CurrencySelect } from '@/components/layout/currency-select';
import { UrlForm } from '@/components/layout/url-form';
import { CONDITION_LABELS, type ProductListState, SORTS } from '@/lib/product-query';

// Brands come from a year of sales, best sellers first; units need no currency conversion
// (which would cost ten times as much), so buckets stay per currency and are merged here.
export const ProductFiltersFragment = graphql(`
  fragment ProductFilters on Query {
    marketplaces {
      id
      code
      name
      defaultCurrency
    }
    categoryRoots: canonicalCategories(rootsOnly: true, marketplace: $categoryMarketplaces) {
      id
      name
    }
    selectedCategory: canonicalCategory(id: $category) @include(if: $hasCategory) {
      id
      path {
        id
        name
      }
      children(marketplace: $categoryMarketplaces) {
        id
        name
      }
    }
    brands: salesStats(
      from: $brandsFrom
      to: $brandsTo
      groupBy: [BRAND]
      orderBy: { field: UNITS, direction: DESC }
      first: 500
    ) {
      nodes {
        brand
      }
    }
  }
`);

type CategoryNode = { id: string; name: string };
type CategoryOption = { id: string; label: string };

/**
 * The category menu: the top-level categories of the chosen marketplaces, each name once,
 * and after the selected category's root its descendants down to it and its children, each
 * named by its whole path ("Electronics › Cell Phones"), which a screen reader reads out too.
 * The selected one is always offered, so a link to a subcategory shows it and changing another
 * filter keeps it.
 */
function categoryOptions(
  roots: readonly CategoryNode[],
  selected: { path: readonly CategoryNode[]; children: readonly CategoryNode[] } | undefined,
): CategoryOption[] {
  const options = roots.map((root) => ({ id: root.id, label: root.name }));
  if (!selected) return options;
  const pathTo = (depth: number) => selected.path.slice(0, depth + 1).map((node) => node.name);
  const [root] = selected.path;
  const drill = [
    ...selected.path.slice(1).map((node, i) => ({ id: node.id, label: pathTo(i + 1).join(' › ') })),
    ...selected.children.map((child) => ({
      id: child.id,
      label: [...pathTo(selected.path.length - 1), child.name].join(' › '),
    })),
  ];
  const at = options.findIndex((option) => option.id === root?.id);
  if (at < 0) return [...(root ? [{ id: root.id, label: root.name }] : []), ...drill, ...options];
  options.splice(at + 1, 0, ...drill);
  return options;
}

/**
 * Search, filters and sort of the product list. Every field is a URL parameter: selects and
 * checkboxes apply at once, text fields on Enter or Apply.
 */
export function ProductFilters({
  query,
  state,
}: {
  query: FragmentType<typeof ProductFiltersFragment>;
  state: ProductListState;
}) {
  const data = getFragmentData(ProductFiltersFragment, query);
  const brands = [...new Set(data.brands.nodes.flatMap((node) => (node.brand ? [node.brand] : [])))].sort((a, b) =>
    a.localeCompare(b),
  );
  const currencies = [...new Set(data.marketplaces.map((marketplace) => marketplace.defaultCurrency))].sort();
  const categories = categoryOptions(data.categoryRoots, data.selectedCategory ?? undefined);
  return (
    <UrlForm label="Filter products" className="filters card" submitOnChange>
      <label className="wide">
        Search titles
        <input type="search" name="q" defaultValue={state.search} placeholder='e.g. iphone -case, "base set"' />
      </label>
      <fieldset className="wide">
        <legend>Marketplace</legend>
        <div className="checks">
          {data.marketplaces.map((marketplace) => (
            <label key={marketplace.code}>
              <input
                type="checkbox"
                name="marketplace"
                value={marketplace.code}
                defaultChecked={state.marketplaces.includes(marketplace.code)}
              />
              {marketplace.name}
            </label>
          ))}
        </div>
      </fieldset>
      <label>
        Category
        <select name="category" defaultValue={state.categoryId}>
          <option value="">All categories</option>
          {categories.map((category) => (
            <option key={category.id} value={category.id}>
              {category.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Brand
        <input
          name="brand"
          list="brand-options"
          defaultValue={state.brand}
          placeholder="Any brand"
          autoComplete="off"
        />
        <datalist id="brand-options">
          {brands.map((brand) => (
            <option key={brand} value={brand} />
          ))}
        </datalist>
      </label>
      <label>
        Sort by
        <select name="sort" defaultValue={state.sort}>
          {Object.entries(SORTS).map(([key, sort]) => (
            <option key={key} value={key === 'id' ? '' : key}>
              {sort.label}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="wide">
        <legend>Condition</legend>
        <div className="checks">
          {Object.entries(CONDITION_LABELS).map(([value, label]) => (
            <label key={value}>
              <input
                type="checkbox"
                name="condition"
                value={value}
                defaultChecked={state.conditions.some((condition) => condition === value)}
              />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      <CurrencySelect label="Price currency" currencies={currencies} value={state.currency} anyLabel="Any currency" />
      <label>
        Min price
        <input name="min" inputMode="decimal" pattern="\d+(\.\d+)?" defaultValue={state.minPrice} placeholder="0" />
      </label>
      <label>
        Max price
        <input name="max" inputMode="decimal" pattern="\d+(\.\d+)?" defaultValue={state.maxPrice} placeholder="Any" />
      </label>
      <div className="inline-form">
        <button type="submit" className="button">
          Apply
        </button>
        <Link href="/products" className="button secondary">
          Clear
        </Link>
      </div>
    </UrlForm>
  );
}
