import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  getNamedType,
  type GraphQLSchema,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  BREAK,
} from 'graphql';
import type { Db } from '../db/client';
import type { ReplicaSet } from '../db/replicas';
import type { GatewayContext } from './context';
import { readFromOf } from './read-target';
import { requiredScopes } from './sdl-directives';

/**
 * The first field of a document that is ingestion data (behind `@requiresScopes`, on the field or
 * its type: runs, sources, quarantine), as `Type.field`; undefined when there is none. Operators
 * read it right after the runs that write it, so it is read where it was written.
 */
function ingestionFields(schema: GraphQLSchema): (document: DocumentNode) => string | undefined {
  const known = new WeakMap<DocumentNode, string | null>();
  return (document) => {
    let found = known.get(document);
    if (found === undefined) {
      found = null;
      const typeInfo = new TypeInfo(schema);
      visit(
        document,
        visitWithTypeInfo(typeInfo, {
          Field(node) {
            const field = typeInfo.getFieldDef();
            const type = field && getNamedType(field.type);
            if (field && (requiredScopes(field.astNode?.directives) || requiredScopes(type?.astNode?.directives))) {
              found = `${typeInfo.getParentType()?.name}.${node.name.value}`;
              return BREAK;
            }
            return undefined;
          },
        }),
      );
      known.set(document, found);
    }
    return found ?? undefined;
  };
}

export type ReadRoutingOptions = {
  schema: GraphQLSchema;
  replicas: ReplicaSet<Db>;
  /** Counts each request's reads by target: `primary` or a replica's name; `fallback` when a replica was wanted. */
  onRead?: (target: string, fallback: boolean) => void;
  /** Without the response cache (which reports `extensions.freshness`), this plugin reports it. */
  reportFreshness: boolean;
};

/**
 * Decides, once the operation is known and before anything runs, where a request reads:
 * - the primary for mutations, for roles whose policy says `reads: 'primary'` (operators and
 *   admins by default), and for operations that touch ingestion data (`@requiresScopes`);
 * - otherwise the next replica fit to serve (db/replicas.ts), or the primary when none
 *   is, with the reason in `extensions.freshness.readFrom`.
 * API key lookups happen before this, on the primary.
 */
export function readRoutingPlugin(options: ReadRoutingOptions): ApolloServerPlugin<GatewayContext> {
  const ingestionFieldOf = ingestionFields(options.schema);
  return {
    async requestDidStart() {
      const startedAt = Date.now();
      return {
        async didResolveOperation({ document, operation, contextValue }) {
          const { policy, role } = contextValue.audience;
          const ingestionField = ingestionFieldOf(document);
          let reason =
            operation && operation.operation !== 'query'
              ? `a ${operation.operation} goes to the primary`
              : policy.reads === 'primary'
                ? `the ${role} role reads from the primary`
                : ingestionField && `${ingestionField} is ingestion data, read from the primary`;
          if (!reason) {
            const choice = options.replicas.pick();
            if (choice.name !== undefined) {
              const { name, handle, lagSeconds, lagBytes, consistentAt } = choice;
              contextValue.reads = { db: handle, name, lagSeconds, lagBytes, consistentAt };
              contextValue.data = contextValue.dataOn(handle);
              contextValue.log.readFrom = name;
              options.onRead?.(name, false);
              return;
            }
            reason = choice.fallback;
            options.onRead?.('primary', true);
          } else {
            options.onRead?.('primary', false);
          }
          contextValue.reads = { ...contextValue.reads, reason };
          contextValue.log.readFrom = 'primary';
        },
        async willSendResponse({ response, contextValue }) {
          // Only for operations that were routed: a refused document read nothing.
          if (!options.reportFreshness || !contextValue.log.readFrom || response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          singleResult.extensions = {
            ...singleResult.extensions,
            freshness: {
              computedAt: new Date(startedAt).toISOString(),
              lastChangeAt: null,
              readFrom: readFromOf(contextValue.reads),
            },
          };
        },
      };
    },
  };
}
