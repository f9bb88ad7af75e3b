import { Skeleton } from '@/components/layout/skeleton';

export default function PipelineLoading() {
  return <Skeleton label="Loading the pipeline" blocks={2} />;
}
