import { createHash } from 'node:crypto';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  Lexer,
  parse,
  type SelectionSetNode,
  Source,
  TokenKind,
  type ValidationContext,
  validate,
} from 'graphql';

/** The static limits every document must keep before anything else looks at it. */
export type StaticLimits = {
  /** Characters of the query text. */
  documentLength: number;
  tokens: number;
  /** Nesting of fields; fragments count for what they hold, not as a level of their own. */
  depth: number;
  aliases: number;
  directives: number;
  /** Fields at the root of one operation. */
  rootFields: number;
  /** Operations in one batched HTTP request (batching is off at 1). */
  batch: number;
};

/** What a careful public API ships: room for every operation of the dashboard and GraphiQL, little more. */
export const DEFAULT_LIMITS: StaticLimits = {
  documentLength: 16_000,
  tokens: 2_000,
  depth: 10,
  aliases: 20,
  directives: 20,
  rootFields: 15,
  batch: 1,
};

type Limit = keyof StaticLimits;

/** Stable codes, as the Apollo Router names its operation limits where it has one. */
export const LIMIT_CODES: Readonly<Record<Limit, string>> = {
  documentLength: 'MAX_DOCUMENT_LENGTH_LIMIT',
  tokens: 'MAX_TOKENS_LIMIT',
  depth: 'MAX_DEPTH_LIMIT',
  aliases: 'MAX_ALIASES_LIMIT',
  directives: 'MAX_DIRECTIVES_LIMIT',
  rootFields: 'MAX_ROOT_FIELDS_LIMIT',
  batch: 'MAX_BATCH_SIZE_LIMIT',
};

const WHAT: Record<Limit, string> = {
  documentLength: 'characters in the document',
  tokens: 'tokens in the document',
  depth: 'levels of nested fields',
  aliases: 'aliases',
  directives: 'directives',
  rootFields: 'root fields in one operation',
  batch: 'operations in one batch',
};

/**
 * A refusal naming the limit, what was found and the maximum, with a stable code. `found` is
 * a number, or `more than max` when counting stopped at the limit (tokens).
 */
export function limitError(limit: Limit, found: number | string, max: number): GraphQLError {
  return new GraphQLError(
    `The operation has ${found} ${WHAT[limit]}; at most ${max} are allowed. Split it into smaller operations.`,
    { extensions: { code: LIMIT_CODES[limit], limit, found, max, http: { status: 400 } } },
  );
}

/** Counts tokens up to `max + 1`, so a huge document costs no more than a refusal. */
function countTokens(query: string, max: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  while (count <= max && lexer.advance().kind !== TokenKind.EOF) count += 1;
  return count;
}

/** The largest number of data fields at the root of any operation, through root-level fragments. */
function rootFieldCount(document: DocumentNode): number {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const count = (set: SelectionSetNode, seen: Set<string>): number =>
    set.selections.reduce((sum, selection) => {
      // __typename asks nothing of the data: Apollo Client adds it to every selection.
      if (selection.kind === Kind.FIELD) return selection.name.value === '__typename' ? sum : sum + 1;
      if (selection.kind === Kind.INLINE_FRAGMENT) return sum + count(selection.selectionSet, seen);
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) return sum;
      return sum + count(fragment.selectionSet, new Set([...seen, fragment.name.value]));
    }, 0);
  return Math.max(
    0,
    ...document.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? count(d.selectionSet, new Set()) : 0)),
  );
}

/**
 * GraphQL Armor's counting rules, made to report instead of throwing: Armor states what it
 * found in its message ("... limit of 10 exceeded, found 12."), which becomes our error.
 */
function armorRules(limits: StaticLimits, found: Partial<Record<Limit, number>>) {
  const onReject = (limit: Limit) => [
    (_context: ValidationContext | null, error: GraphQLError) => {
      const count = Number(/found (\d+)/.exec(error.message)?.[1] ?? limits[limit] + 1);
      found[limit] = Math.max(found[limit] ?? 0, count);
    },
  ];
  const common = { exposeLimits: true, propagateOnRejection: false } as const;
  return [
    maxDepthRule({ ...common, n: limits.depth, flattenFragments: true, onReject: onReject('depth') }),
    maxAliasesRule({ ...common, n: limits.aliases, onReject: onReject('aliases') }),
    maxDirectivesRule({ ...common, n: limits.directives, onReject: onReject('directives') }),
  ];
}

/** Checks one document against the limits; the first limit it breaks, or undefined. */
function check(schema: GraphQLSchema, query: string, limits: StaticLimits): GraphQLError | undefined {
  const tokens = countTokens(query, limits.tokens);
  if (tokens > limits.tokens) return limitError('tokens', `more than ${limits.tokens}`, limits.tokens);
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.tokens });
  } catch {
    return undefined; // Apollo answers the syntax error itself, with its position.
  }
  const found: Partial<Record<Limit, number>> = {};
  validate(schema, document, armorRules(limits, found));
  for (const limit of ['depth', 'aliases', 'directives'] as const) {
    const count = found[limit];
    if (count !== undefined) return limitError(limit, count, limits[limit]);
  }
  const roots = rootFieldCount(document);
  if (roots > limits.rootFields) return limitError('rootFields', roots, limits.rootFields);
  return undefined;
}

/** Verdicts of recently seen documents: clients repeat the same few, and checking is a parse. */
const VERDICTS_KEPT = 1_000;

/**
 * The static limits as one check per document, remembered by the document's hash.
 * @example
 *   const limits = staticLimits(schema, DEFAULT_LIMITS);
 *   const refusal = limits.check('{ a: products { id } b: products { id } }');
 */
export function staticLimits(schema: GraphQLSchema, limits: StaticLimits) {
  const verdicts = new Map<string, GraphQLError | null>();
  return {
    limits,
    check(query: string): GraphQLError | undefined {
      if (query.length > limits.documentLength)
        return limitError('documentLength', query.length, limits.documentLength);
      const key = createHash('sha256').update(query).digest('base64url');
      const known = verdicts.get(key);
      if (known !== undefined) return known ?? undefined;
      const verdict = check(schema, query, limits);
      if (verdicts.size >= VERDICTS_KEPT) verdicts.delete(verdicts.keys().next().value as string);
      verdicts.set(key, verdict ?? null);
      return verdict;
    },
  };
}

export type StaticLimitCheck = ReturnType<typeof staticLimits>;
