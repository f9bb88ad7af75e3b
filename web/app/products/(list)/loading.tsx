import { Skeleton } from '@/components/layout/skeleton';

export default function ProductsLoading() {
  return <Skeleton label="Loading products" blocks={8} />;
}
