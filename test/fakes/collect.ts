import type { FetchContext, IngestRecord, RawPayload, RejectedRecord, Source } from '../../ingest/types';

export type Collected = {
  payloads: RawPayload[];
  records: IngestRecord[];
  rejects: RejectedRecord[];
  watermark?: string;
  warnings: { message: string; code?: string }[];
};

/**
 * Runs a source's fetch to the end and parses every payload, without the pipeline: what a
 * source test asserts on. The greatest watermark wins, as the pipeline keeps it.
 * @example const { records, warnings } = await collectSource(source, { q: 'phone' });
 */
export async function collectSource<Options>(
  source: Source<Options>,
  options: Options,
  context: Partial<FetchContext> = {},
): Promise<Collected> {
  const out: Collected = { payloads: [], records: [], rejects: [], warnings: [] };
  const fetchContext: FetchContext = {
    signal: context.signal ?? new AbortController().signal,
    watermark: context.watermark,
    warn: (message, code) => {
      out.warnings.push({ message, code });
      context.warn?.(message, code);
    },
  };
  for await (const payload of source.fetch(options, fetchContext)) {
    out.payloads.push(payload);
    const parsed = source.parse(payload);
    out.records.push(...parsed.records);
    out.rejects.push(...parsed.rejects);
    if (parsed.watermark && (!out.watermark || parsed.watermark > out.watermark)) out.watermark = parsed.watermark;
  }
  return out;
}
