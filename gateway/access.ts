import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  getNamedType,
  type GraphQLNamedType,
  GraphQLError,
  type GraphQLSchema,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { GatewayContext } from './context';
import { requiredScopes } from './sdl-directives';

function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

/** The first field of `document` the audience may not read, as an error; undefined when all are allowed. */
function refusal(schema: GraphQLSchema, document: DocumentNode, context: GatewayContext): GraphQLError | undefined {
  const { policy, role } = context.audience;
  const held = new Set(policy.scopes);
  const typeInfo = new TypeInfo(schema);
  let refused: GraphQLError | undefined;
  const check = (where: string, scopes: string[][] | undefined) => {
    if (refused || !scopes || scopes.some((set) => set.every((scope) => held.has(scope)))) return;
    const needed = scopes.map((set) => set.join(' and ')).join(', or ');
    refused = forbidden(
      `${where} needs the ${needed} scope, which the ${role} role has not: ask an operator for a key with a role that has it.`,
    );
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const name = node.name.value;
        if ((name === '__schema' || name === '__type') && !policy.introspection) {
          refused ??= forbidden(`Introspection is for analysts and above; this request runs as ${role}.`);
        }
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (!field || !parent) return;
        check(`${parent.name}.${name}`, requiredScopes(field.astNode?.directives));
        const type: GraphQLNamedType = getNamedType(field.type);
        check(`${parent.name}.${name} (a ${type.name})`, requiredScopes(type.astNode?.directives));
      },
    }),
  );
  return refused;
}

/**
 * Field access by role, before anything runs: every field with `@requiresScopes` in the SDL
 * (or returning a type with it) needs one of its scope sets among the role's scopes, and
 * introspection needs a role that may introspect. A refusal is FORBIDDEN (HTTP 403) and names
 * the field and the scope.
 */
export function accessPlugin(schema: GraphQLSchema): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          const error = refusal(schema, document, contextValue);
          if (error) throw error;
        },
      };
    },
  };
}
