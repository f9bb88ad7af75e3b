import { decimalAmount } from '../lib/money';
import type { MoneyResolvers } from './__generated__/resolvers-types';

export const Money: MoneyResolvers = {
  amount: (money) => decimalAmount(money),
};
