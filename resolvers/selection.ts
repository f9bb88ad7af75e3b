import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/**
 * Whether the operation selects any of `names` anywhere below the current field (through
 * fragments too). Lets a resolver skip work nobody asked for, such as percentiles.
 * @example selectsAny(info, ['medianPrice', 'p25Price'])
 */
function selectsAny(info: GraphQLResolveInfo, names: string[]): boolean {
  const wanted = new Set(names);
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return wanted.has(selection.name.value) || visit(selection.selectionSet);
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node: FieldNode) => visit(node.selectionSet));
}

const PERCENTILE_FIELDS = ['medianPrice', 'p25Price', 'p75Price'];
const COMPARISON_FIELDS = ['previous', 'change'];

/** What the operation asks of each statistics bucket, which decides how much is computed. */
export type BucketNeeds = { percentiles: boolean; withPrevious: boolean };

/** Reads the bucket needs off the selection set below the current field. */
export function bucketNeeds(info: GraphQLResolveInfo): BucketNeeds {
  return { percentiles: selectsAny(info, PERCENTILE_FIELDS), withPrevious: selectsAny(info, COMPARISON_FIELDS) };
}
