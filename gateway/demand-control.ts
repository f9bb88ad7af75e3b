import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './context';
import type { Admission } from './admission';
import type { CostModel } from './cost';

/** The Apollo Router's code for an operation refused on its estimated cost. */
export const COST_ESTIMATED_TOO_EXPENSIVE = 'COST_ESTIMATED_TOO_EXPENSIVE';

function tooExpensive(estimated: number, budget: number): GraphQLError {
  const n = (value: number) => value.toLocaleString('en-US');
  return new GraphQLError(
    `The operation's estimated cost is ${n(estimated)}, above this key's budget of ${n(budget)}: ask for fewer items (a lower \`first\`) or fewer nested lists. extensions.cost shows the numbers.`,
    { extensions: { code: COST_ESTIMATED_TOO_EXPENSIVE, cost: { estimated, budget }, http: { status: 400 } } },
  );
}

/**
 * Demand control before execution: every operation's cost is estimated from the SDL's weights
 * and its list sizes once it is validated, and one over the caller's budget is refused before
 * any resolver or SQL runs. Every answer reports `extensions.cost` ({ estimated, actual,
 * budget }), the actual cost counted over what was returned; the request log carries the same.
 * An operation within budget then waits for room in `admission`, shared by every caller.
 */
export function demandControlPlugin(cost: CostModel, admission: Admission): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let estimated: number | undefined;
      let release: (() => void) | undefined;
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          if (!operation) return;
          contextValue.log.operationName = request.operationName ?? operation.name?.value ?? null;
          const budget = contextValue.audience.policy.costBudget;
          estimated = cost.estimate(document, operation, request.variables ?? {});
          contextValue.log.cost = { estimated, budget };
          if (estimated > budget) throw tooExpensive(estimated, budget);
          const { principal } = contextValue.audience;
          release = await admission.admit(principal, estimated, contextValue.signal);
        },
        async willSendResponse({ response, document, operation, contextValue }) {
          release?.();
          const logged = contextValue.log.cost;
          if (estimated === undefined || !logged || !document || !operation || response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          const actual = singleResult.data ? cost.actual(document, operation, singleResult.data) : 0;
          logged.actual = actual;
          singleResult.extensions = { ...singleResult.extensions, cost: { estimated, actual, budget: logged.budget } };
        },
      };
    },
  };
}
