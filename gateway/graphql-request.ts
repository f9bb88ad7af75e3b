import type { Request } from 'express';

/** The operations of a GraphQL HTTP request: a GET's query string, or a POST's body (one, or a batch). */
export function operationsOf(request: Request): unknown[] {
  if (Array.isArray(request.body)) return request.body;
  if (request.method === 'POST') return [request.body];
  return [request.query];
}

/** One operation as the GraphQL-over-HTTP spec names its parts, with a GET's JSON parameters parsed. */
export type OperationParts = {
  query?: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
};

function jsonObject(value: unknown): Record<string, unknown> | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return null;
    }
  }
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
}

/**
 * The one operation of a request, or undefined when it is a batch or malformed (Apollo then
 * answers with the precise error).
 */
export function singleOperationOf(request: Request): OperationParts | undefined {
  const operations = operationsOf(request);
  const [operation] = operations;
  if (operations.length !== 1 || !operation || typeof operation !== 'object') return undefined;
  const { query, operationName, variables, extensions } = operation as Record<string, unknown>;
  const parsedVariables = jsonObject(variables);
  const parsedExtensions = jsonObject(extensions);
  if (parsedVariables === null || parsedExtensions === null) return undefined;
  if (
    (query !== undefined && typeof query !== 'string') ||
    (operationName != null && typeof operationName !== 'string')
  ) {
    return undefined;
  }
  return {
    query: query as string | undefined,
    operationName: (operationName as string | null | undefined) ?? undefined,
    variables: parsedVariables,
    extensions: parsedExtensions,
  };
}
