import { Skeleton } from '@/components/layout/skeleton';

export default function OverviewLoading() {
  return <Skeleton label="Loading the overview" blocks={5} />;
}
