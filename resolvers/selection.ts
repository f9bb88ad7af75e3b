import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/**
 * Whether the operation selects any of `names` anywhere below the current field (through
 * fragments too). Lets a resolver skip work nobody asked for, such as percentiles.
 * @example selectsAny(info, ['medianPrice', 'p25Price'])
 */
export function selectsAny(info: GraphQLResolveInfo, names: string[]): boolean {
  const wanted = new Set(names);
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return wanted.has(selection.name.value) || visit(selection.selectionSet);
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node: FieldNode) => visit(node.selectionSet));
}
