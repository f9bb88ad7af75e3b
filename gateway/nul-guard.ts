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

/**
 * The path of the first string holding a NUL, walking with a stack of its own: variables may
 * nest as deep as a 1 MB body allows (100,000 levels), far past what recursion survives.
 */
function findNulInValue(root: unknown): string | undefined {
  const pending: [unknown, string][] = [[root, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === 'string') {
      if (value.includes(NUL)) return path;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i -= 1) pending.push([value[i], `${path}[${i}]`]);
    } else if (value && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [key, item] = entries[i] as [string, unknown];
        pending.push([item, path ? `${path}.${key}` : key]);
      }
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
        const variable = findNulInValue(request.variables ?? {});
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
