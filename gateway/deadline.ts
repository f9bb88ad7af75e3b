import { setMaxListeners } from 'node:events';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import { withStatementScope, type StatementScope } from '../db/statement-scope';
import type { GatewayContext } from './context';
import type { Audience } from './policy';

/** Why a request was stopped: it ran past its role's deadline. */
export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
  constructor(readonly deadlineMs: number) {
    super(`the request ran past its deadline of ${deadlineMs} ms`);
  }
}

/** Why a request was stopped: its client closed the connection before the answer. */
export class ClientClosedRequest extends Error {
  override name = 'ClientClosedRequest';
  constructor() {
    super('the client closed the connection');
  }
}

/**
 * Bounds each GraphQL request in time: at its role's deadline, or when its client goes away,
 * its signal aborts, the statements it runs are cancelled on the server and its later ones
 * refused. `scopeFor` adds what else bounds the request's statements (the bulkhead).
 */
export function requestBounds(
  scopeFor: (audience: Audience) => Omit<StatementScope, 'signal'> = () => ({}),
): RequestHandler {
  return (_request, response, next) => {
    const audience = response.locals.audience as Audience;
    const controller = new AbortController();
    // Each statement in flight listens for the stop; a wide answer runs more than Node's
    // default of ten at once, which is no leak.
    setMaxListeners(100, controller.signal);
    const { deadlineMs } = audience.policy;
    const timer = setTimeout(() => controller.abort(new DeadlineExceeded(deadlineMs)), deadlineMs);
    timer.unref();
    response.on('close', () => {
      clearTimeout(timer);
      if (!response.writableFinished) controller.abort(new ClientClosedRequest());
    });
    response.locals.signal = controller.signal;
    withStatementScope({ ...scopeFor(audience), signal: controller.signal }, next);
  };
}

/** The answer to a request stopped at its deadline: one error, HTTP 504, no partial data. */
export function deadlinePlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const reason: unknown = contextValue.signal.reason;
          if (!(reason instanceof DeadlineExceeded) || response.body.kind !== 'single') return;
          const seconds = Math.round(reason.deadlineMs / 100) / 10;
          const error = new GraphQLError(
            `The request ran past its deadline of ${seconds} s and was stopped, its SQL cancelled: ask for less (a lower \`first\`, a shorter range) or split it.`,
            { extensions: { code: 'DEADLINE_EXCEEDED', deadlineMs: reason.deadlineMs } },
          );
          response.body.singleResult = { errors: [error.toJSON()] };
          response.http.status = 504;
        },
      };
    },
  };
}
