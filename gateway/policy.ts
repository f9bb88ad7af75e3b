import { ROLES, type Role } from '../lib/roles';

export { ROLES, type Role };

/** What one role may do and spend; every number is per API key (or per IP without one). */
export type RolePolicy = {
  /** Largest estimated cost of one operation (see gateway/cost.ts). */
  costBudget: number;
  /** Requests per minute. */
  requestsPerMinute: number;
  /** Operations of one key running at once; more wait their turn, briefly. */
  concurrency: number;
  /** A request still running after this is stopped and its SQL cancelled. */
  deadlineMs: number;
  /** Field scopes granted (`@requiresScopes` in the SDL). */
  scopes: readonly string[];
  /** Whether introspection (and with it GraphiQL's schema docs) is allowed. */
  introspection: boolean;
  /**
   * Where its requests read with read replicas configured (docs/replicas.md): `replica`, or
   * `primary` for roles that must see their own writes at once (operators after an ingestion).
   */
  reads: 'replica' | 'primary';
};

/**
 * The defaults. The dashboard runs only its safelisted operations (at most ~3,300 in cost);
 * analysts compose their own, up to the 10,000-bucket statistics question (~30,000); operators
 * also read ingestion internals.
 */
export const DEFAULT_POLICIES: Readonly<Record<Role, RolePolicy>> = {
  dashboard: {
    costBudget: 5_000,
    requestsPerMinute: 1_200,
    concurrency: 8,
    deadlineMs: 10_000,
    scopes: ['pipeline'],
    introspection: false,
    reads: 'replica',
  },
  analyst: {
    costBudget: 50_000,
    requestsPerMinute: 120,
    concurrency: 2,
    deadlineMs: 30_000,
    scopes: ['pipeline'],
    introspection: true,
    reads: 'replica',
  },
  operator: {
    costBudget: 50_000,
    requestsPerMinute: 300,
    concurrency: 4,
    deadlineMs: 60_000,
    scopes: ['pipeline', 'operator'],
    introspection: true,
    reads: 'primary',
  },
  admin: {
    costBudget: 100_000,
    requestsPerMinute: 600,
    concurrency: 4,
    deadlineMs: 60_000,
    scopes: ['pipeline', 'operator', 'admin'],
    introspection: true,
    reads: 'primary',
  },
};

/** The caller of one request: its role and policy, and what identifies it for rate limits. */
export type Audience = {
  role: Role;
  policy: RolePolicy;
  /** The API key's id, or null without a key. */
  keyId: number | null;
  /** What rate limits and the bulkhead count by: `key:<id>` or `ip:<address>`. */
  principal: string;
};

export type Policies = Readonly<Record<Role, RolePolicy>>;

/** The defaults with configured overrides (ROLE_POLICIES) merged in, role by role. */
export function resolvePolicies(overrides: Partial<Record<Role, Partial<RolePolicy>>> = {}): Policies {
  return Object.fromEntries(ROLES.map((role) => [role, { ...DEFAULT_POLICIES[role], ...overrides[role] }])) as Record<
    Role,
    RolePolicy
  >;
}

/** The caller in open mode (development, or the embedded default on loopback): everything, no key. */
export function openAudience(policies: Policies = DEFAULT_POLICIES, principal = 'ip:local'): Audience {
  return { role: 'admin', policy: policies.admin, keyId: null, principal };
}
