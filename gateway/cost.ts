import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isCompositeType,
  isListType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  typeFromAST,
  valueFromAST,
} from 'graphql';
import { argument, directive } from './sdl-directives';

/**
 * Demand control as federation defines it: the weights live in the SDL, in `@cost(weight:)`
 * on fields and types and `@listSize(assumedSize:, slicingArguments:, sizedFields:)` on list
 * fields, so a federation router enforces the same numbers. A composite field costs 1 and a
 * leaf 0 unless `@cost` says otherwise; a list multiplies what each item costs by its size:
 * the slicing argument's value (its default when omitted), else `assumedSize`, else
 * `defaultListSize`. `sizedFields` carry a connection's size to its `edges` and `nodes`.
 */
export type CostModel = {
  /** The cost of an operation before it runs, from its document and variables. */
  estimate(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number;
  /** The cost of what an operation returned: the same weights over the real list lengths. */
  actual(document: DocumentNode, operation: OperationDefinitionNode, data: unknown): number;
};

type ListSize = { assumedSize?: number; slicingArguments: string[]; sizedFields: string[] };

/** A field's declared weight: `@cost` on the field, else on its type, else 1 for objects, 0 for leaves. */
function weightOf(field: GraphQLField<unknown, unknown>): number {
  const type = getNamedType(field.type);
  const declared = argument(directive(field.astNode?.directives, 'cost'), 'weight') ?? typeWeight(type);
  if (typeof declared === 'number') return declared;
  return isCompositeType(type) ? 1 : 0;
}

function typeWeight(type: GraphQLNamedType): unknown {
  return argument(directive(type.astNode?.directives, 'cost'), 'weight');
}

function listSizeOf(field: GraphQLField<unknown, unknown>): ListSize | undefined {
  const node = directive(field.astNode?.directives, 'listSize');
  if (!node) return undefined;
  const assumed = argument(node, 'assumedSize');
  const strings = (name: string) => (argument(node, name) as string[] | undefined) ?? [];
  return {
    assumedSize: typeof assumed === 'number' ? assumed : undefined,
    slicingArguments: strings('slicingArguments'),
    sizedFields: strings('sizedFields'),
  };
}

/** Fields of a selection set merged by response key, through fragments that may apply. */
function collect(
  set: SelectionSetNode,
  type: GraphQLCompositeType,
  schema: GraphQLSchema,
  fragments: Map<string, FragmentDefinitionNode>,
  into = new Map<string, FieldNode[]>(),
  seen = new Set<string>(),
): Map<string, FieldNode[]> {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      into.set(key, [...(into.get(key) ?? []), selection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? typeFromAST(schema, selection.typeCondition) : type;
      if (isCompositeType(condition)) collect(selection.selectionSet, condition, schema, fragments, into, seen);
    } else if (!seen.has(selection.name.value)) {
      const fragment = fragments.get(selection.name.value);
      const condition = fragment && typeFromAST(schema, fragment.typeCondition);
      if (fragment && isCompositeType(condition)) {
        collect(fragment.selectionSet, condition, schema, fragments, into, new Set([...seen, fragment.name.value]));
      }
    }
  }
  return into;
}

/** The merged sub-selections of several nodes of one field. */
function subSelection(nodes: FieldNode[]): SelectionSetNode | undefined {
  const selections = nodes.flatMap((node) => node.selectionSet?.selections ?? []);
  return selections.length > 0 ? { kind: Kind.SELECTION_SET, selections } : undefined;
}

function fieldOf(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return 'getFields' in type ? type.getFields()[name] : undefined;
}

/**
 * Builds the cost model of a schema.
 * @example
 *   const cost = costModel(schema, { defaultListSize: 100 });
 *   cost.estimate(document, operation, { first: 50 });
 */
export function costModel(schema: GraphQLSchema, options: { defaultListSize: number }): CostModel {
  const fragmentsOf = (document: DocumentNode) =>
    new Map(
      document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
    );
  const rootOf = (operation: OperationDefinitionNode) =>
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();

  /** The size a list field is estimated at, from its slicing argument, assumed size or the default. */
  function estimatedSize(
    field: GraphQLField<unknown, unknown>,
    node: FieldNode,
    size: ListSize | undefined,
    variables: Record<string, unknown>,
  ): number {
    const argumentValue = (name: string) => {
      const definition = field.args.find((a) => a.name === name);
      const given = node.arguments?.find((a) => a.name.value === name);
      return given && definition ? valueFromAST(given.value, definition.type, variables) : definition?.defaultValue;
    };
    // Federation's entity lookup returns one entity per representation.
    if (field.name === '_entities') {
      const representations = argumentValue('representations');
      if (Array.isArray(representations)) return representations.length;
    }
    for (const name of size?.slicingArguments ?? []) {
      const value = argumentValue(name);
      if (typeof value === 'number' && value >= 0) return value;
    }
    return size?.assumedSize ?? options.defaultListSize;
  }

  /** One field of a selection as both cost walks read it, planned once per selection set and type. */
  type Step = {
    key: string;
    node: FieldNode;
    field: GraphQLField<unknown, unknown>;
    weight: number;
    children?: { set: SelectionSetNode; type: GraphQLCompositeType };
  };
  // Keyed by the document's own nodes, so a document Apollo keeps parsed keeps its plans too.
  const plans = new WeakMap<SelectionSetNode, Map<string, Step[]>>();

  function planOf(
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    fragments: Map<string, FragmentDefinitionNode>,
  ): Step[] {
    let byType = plans.get(set);
    if (!byType) plans.set(set, (byType = new Map()));
    let plan = byType.get(type.name);
    if (plan) return plan;
    plan = [];
    for (const [key, nodes] of collect(set, type, schema, fragments)) {
      const [node] = nodes;
      if (!node || node.name.value.startsWith('__')) continue;
      const field = fieldOf(type, node.name.value);
      if (!field) continue;
      const named = getNamedType(field.type);
      const children = subSelection(nodes);
      plan.push({
        key,
        node,
        field,
        weight: weightOf(field),
        children: children && isCompositeType(named) ? { set: children, type: named } : undefined,
      });
    }
    byType.set(type.name, plan);
    return plan;
  }

  function estimateSet(
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    fragments: Map<string, FragmentDefinitionNode>,
    variables: Record<string, unknown>,
    sized?: { fields: string[]; size: number },
  ): number {
    let total = 0;
    for (const { node, field, weight, children } of planOf(set, type, fragments)) {
      const listSize = listSizeOf(field);
      const size = estimatedSize(field, node, listSize, variables);
      // A connection carries its size to the fields that hold its items.
      const childSizing = listSize?.sizedFields.length ? { fields: listSize.sizedFields, size } : undefined;
      const each =
        weight + (children ? estimateSet(children.set, children.type, fragments, variables, childSizing) : 0);
      const multiplier = sized?.fields.includes(node.name.value)
        ? sized.size
        : isListType(getNullableType(field.type))
          ? size
          : 1;
      total += multiplier * each;
    }
    return total;
  }

  // Walks every object of the answer: a 10,000-bucket answer has 10,000 of them, so the
  // selection is planned once (planOf) and each object costs a few property reads.
  function actualOf(
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    fragments: Map<string, FragmentDefinitionNode>,
    value: unknown,
  ): number {
    if (value === null || typeof value !== 'object') return 0;
    const record = value as Record<string, unknown>;
    const typename = typeof record.__typename === 'string' ? schema.getType(record.__typename) : undefined;
    const concrete = typename && isCompositeType(typename) ? typename : type;
    let total = 0;
    for (const step of planOf(set, concrete, fragments)) {
      const result = record[step.key];
      for (const item of Array.isArray(result) ? result : [result]) {
        if (item === null || item === undefined) continue;
        total += step.weight;
        if (step.children) total += actualOf(step.children.set, step.children.type, fragments, item);
      }
    }
    return total;
  }

  return {
    estimate(document, operation, variables) {
      const root = rootOf(operation);
      return root ? estimateSet(operation.selectionSet, root, fragmentsOf(document), variables) : 0;
    },
    actual(document, operation, data) {
      const root = rootOf(operation);
      return root ? actualOf(operation.selectionSet, root, fragmentsOf(document), data) : 0;
    },
  };
}
