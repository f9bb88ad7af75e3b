/** Who calls the API, from least to most trusted; an API key has one of these roles. */
export const ROLES = ['dashboard', 'analyst', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
