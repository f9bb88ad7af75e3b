import type { ApolloServerPlugin } from '@apollo/server';
import { type DocumentNode, Kind, visit } from 'graphql';
import { badUserInput } from '../lib/errors';

// Thrown before execution, so Apollo would answer 500 without an explicit status.
function refused(message: string, argument?: string) {
  const error = badUserInput(message, argument);
  error.extensions.http = { status: 400 };
  return error;
}

// PostgreSQL text cannot hold U+0000; refusing such strings up front gives the caller a
// precise error instead of a failed statement halfway through a request.
const NUL = '\u0000';

function findNulInValue(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findNulInValue(item, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findNulInValue(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

function documentHasNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (node.value.includes(NUL)) found = true;
    },
  });
  return found;
}

/** Refuses operations whose variables or string literals contain NUL characters. */
export const nulGuardPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document }) {
        const variable = findNulInValue(request.variables ?? {}, '');
        if (variable) {
          throw refused(`variable ${variable} contains a NUL character (\\u0000), which text cannot hold`, variable);
        }
        if (documentHasNul(document)) {
          throw refused('a string argument contains a NUL character (\\u0000), which text cannot hold');
        }
      },
    };
  },
};
