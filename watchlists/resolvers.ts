import { GraphQLError } from 'graphql';
import { decimalAmount, isCurrencyCode, type MoneyValue, minorUnitsFromDecimal } from '../lib/money';
import type { WatchlistsContext } from './context';
import type { Resolvers } from './__generated__/resolvers-types';
import { alertsOf, lastEvaluation, type PriceAlertRow, unwatchProduct, watchProduct } from './store';

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** The caller's identity, or UNAUTHENTICATED: a watchlist belongs to someone. */
function ownerOf(context: WatchlistsContext): string {
  if (context.owner !== null) return context.owner;
  throw new GraphQLError('A watchlist belongs to an API key: send "Authorization: Bearer <key>".', {
    extensions: { code: 'UNAUTHENTICATED' },
  });
}

/** A product id as the core stores it: a positive whole number. */
function productIdOf(id: string): number {
  const parsed = Number(id);
  if (!/^\d+$/.test(id) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw badInput(`productId must be a product's id (a positive whole number), got ${JSON.stringify(id)}.`);
  }
  return parsed;
}

function targetOf(input: { amount: string; currency: string }): MoneyValue {
  if (!isCurrencyCode(input.currency)) {
    throw badInput(
      `targetPrice.currency must be an ISO-4217 code such as "USD", got ${JSON.stringify(input.currency)}.`,
    );
  }
  let minorUnits: number;
  try {
    minorUnits = minorUnitsFromDecimal(input.amount, input.currency);
  } catch (error) {
    throw badInput(`targetPrice.amount: ${(error as Error).message}.`);
  }
  if (minorUnits <= 0) throw badInput(`targetPrice.amount must be above zero, got ${JSON.stringify(input.amount)}.`);
  return { minorUnits, currency: input.currency };
}

function lastPriceOf(alert: PriceAlertRow): MoneyValue | null {
  const { lastPriceMinorUnits: minorUnits, lastPriceCurrency: currency } = alert;
  return minorUnits !== null && currency !== null ? { minorUnits, currency } : null;
}

/** The watchlists subgraph's resolvers: thin, over the store and the core client. */
export const resolvers: Resolvers = {
  Query: {
    async watchlist(_parent, { first }, context) {
      const owner = ownerOf(context);
      const size = first ?? 50;
      if (size < 1 || size > 200) throw badInput(`first must be between 1 and 200, got ${size}.`);
      return alertsOf(context.db, owner, size);
    },
    lastAlertEvaluation: async (_parent, _args, { db }) => (await lastEvaluation(db)) ?? null,
  },
  Mutation: {
    async watchProduct(_parent, { productId, targetPrice }, context) {
      const owner = ownerOf(context);
      const id = productIdOf(productId);
      const target = targetOf(targetPrice);
      const [found] = (await context.core.productPrices([id])).values();
      if (!found) {
        throw new GraphQLError(`No product has id ${productId}.`, { extensions: { code: 'NOT_FOUND' } });
      }
      return watchProduct(context.db, owner, id, target);
    },
    unwatchProduct: (_parent, { productId }, context) =>
      unwatchProduct(context.db, ownerOf(context), productIdOf(productId)),
  },
  Product: {
    __resolveReference: (reference) => ({ id: String(reference.id) }),
    watchers: async ({ id }, _args, { productWatch }) => (await productWatch.load(Number(id))).watchers,
    alertState: async ({ id }, _args, { productWatch }) => (await productWatch.load(Number(id))).alert,
  },
  PriceAlert: {
    product: (alert) => ({ id: String(alert.productId) }),
    targetPrice: (alert) => ({ minorUnits: alert.targetMinorUnits, currency: alert.currency }),
    lastPrice: lastPriceOf,
  },
  Money: {
    amount: (money) => decimalAmount(money),
  },
};
