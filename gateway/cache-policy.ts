import {
  type DocumentNode,
  getNamedType,
  type GraphQLField,
  type GraphQLSchema,
  isCompositeType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { argument, directive, requiredScopes } from './sdl-directives';

/** How long an operation's answer may be shared, or why it may not be. */
export type CachePolicy = { maxAgeSeconds: number; reason?: string };

/** The `@cacheControl` hint of a field, else of the type it returns when that is composite. */
function hintOf(field: GraphQLField<unknown, unknown>): { maxAge?: number; private: boolean } | undefined {
  const type = getNamedType(field.type);
  const node =
    directive(field.astNode?.directives, 'cacheControl') ??
    (isCompositeType(type) ? directive(type.astNode?.directives, 'cacheControl') : undefined);
  if (!node) return undefined;
  const maxAge = argument(node, 'maxAge');
  return { maxAge: typeof maxAge === 'number' ? maxAge : undefined, private: argument(node, 'scope') === 'PRIVATE' };
}

/**
 * The cache policy of an operation, from the SDL's `@cacheControl(maxAge:, scope:)` hints and
 * nothing at run time, so it costs one walk per document. Conservative by default:
 * - every root field needs a hint (on itself or its type), else nothing is shared;
 * - a nested field without a hint takes its parent's age; with one, the smaller counts;
 * - `scope: PRIVATE`, introspection and anything behind `@requiresScopes` (operator data) are
 *   never shared, and neither are mutations.
 * @example const policyOf = cachePolicies(schema); policyOf(document).maxAgeSeconds; // 60
 */
export function cachePolicies(schema: GraphQLSchema): (document: DocumentNode) => CachePolicy {
  const known = new WeakMap<DocumentNode, CachePolicy>();
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);

  function policyOf(document: DocumentNode): CachePolicy {
    if (document.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation !== 'query')) {
      return { maxAgeSeconds: 0, reason: 'only queries are cached' };
    }
    const typeInfo = new TypeInfo(schema);
    let policy: CachePolicy = { maxAgeSeconds: Infinity };
    const refuse = (reason: string) => {
      if (policy.maxAgeSeconds > 0) policy = { maxAgeSeconds: 0, reason };
    };
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const name = node.name.value;
          if (name === '__schema' || name === '__type') return refuse('introspection is not cached');
          const field = typeInfo.getFieldDef();
          const parent = typeInfo.getParentType();
          if (!field || !parent || name === '__typename') return undefined;
          const where = `${parent.name}.${name}`;
          if (
            requiredScopes(field.astNode?.directives) ||
            requiredScopes(getNamedType(field.type).astNode?.directives)
          ) {
            return refuse(`${where} is operator data`);
          }
          const hint = hintOf(field);
          if (hint?.private) return refuse(`${where} is private`);
          if (hint?.maxAge !== undefined) {
            if (hint.maxAge <= 0) return refuse(`${where} is not cacheable`);
            if (policy.maxAgeSeconds > hint.maxAge) policy = { maxAgeSeconds: hint.maxAge };
          } else if (roots.has(parent as never)) {
            return refuse(`${where} has no cache hint`);
          }
          return undefined;
        },
      }),
    );
    return Number.isFinite(policy.maxAgeSeconds) ? policy : { maxAgeSeconds: 0, reason: 'nothing to cache' };
  }

  return (document) => {
    let policy = known.get(document);
    if (!policy) {
      policy = policyOf(document);
      known.set(document, policy);
    }
    return policy;
  };
}
