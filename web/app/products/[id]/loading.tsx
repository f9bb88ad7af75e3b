import { Skeleton } from '@/components/layout/skeleton';

export default function ProductLoading() {
  return <Skeleton label="Loading the product" blocks={3} />;
}
