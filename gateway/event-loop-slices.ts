import { defaultFieldResolver, getNullableType, type GraphQLSchema, isListType, isObjectType } from 'graphql';

export type SliceOptions<Context> = {
  /** Items of one list completed in one turn of the event loop; longer lists are spread out. */
  chunkSize: number;
  /** After this long without a pause, the next list of a yielding request waits its turn. */
  sliceMs: number;
  /** Which requests yield: those whose answers may be large. The others never wait. */
  appliesTo: (context: Context) => boolean;
};

/**
 * Keeps large answers from holding the event loop. graphql-js completes a resolved list in
 * one go, synchronously: 10,000 statistics buckets, or 100 products with 100 sales each, held
 * the loop for 130-290 ms, and every other request waited behind them (bench:abuse p99).
 *
 * Every list field's resolver is wrapped. For a request `appliesTo` picks, a list longer than
 * `chunkSize` is completed `chunkSize` items per turn, and any list met after `sliceMs` of
 * work since the last pause waits for a turn. Waiting lists resume one per turn of the event
 * loop, from one queue, so other requests' I/O is served between them; resuming them all in
 * one turn would only move the block. Requests it does not pick (the dashboard's) run as
 * before, and never queue behind a large answer's pieces.
 *
 * Mutates the schema's resolvers, as Apollo's own plugins do; call it once, before serving.
 */
export function yieldDuringLargeAnswers<Context>(schema: GraphQLSchema, options: SliceOptions<Context>): void {
  let sliceStarted = performance.now();
  const waiting: (() => void)[] = [];
  const resumeNext = () => {
    sliceStarted = performance.now();
    waiting.shift()?.();
    if (waiting.length > 0) setImmediate(resumeNext);
  };
  const pause = () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (waiting.length === 1) setImmediate(resumeNext);
    });

  /** The items as promises, chunk k resolving on the k-th turn from now. */
  const spread = (items: readonly unknown[]) => {
    const paced: Promise<unknown>[] = [];
    let turn = Promise.resolve();
    for (let start = 0; start < items.length; start += options.chunkSize) {
      turn = turn.then(pause);
      const ready = turn;
      for (const item of items.slice(start, start + options.chunkSize)) paced.push(ready.then(() => item));
    }
    return paced;
  };

  const pace = (value: unknown) => {
    if (!Array.isArray(value) || value.length < 2) return value;
    if (value.length > options.chunkSize) return spread(value);
    if (performance.now() - sliceStarted > options.sliceMs) return pause().then(() => value);
    return value;
  };

  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isListType(getNullableType(field.type))) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const result: unknown = resolve(source, args, context, info);
        if (!options.appliesTo(context as Context)) return result;
        return result instanceof Promise ? result.then(pace) : pace(result);
      };
    }
  }
}
