import type { QuarantinedRecordResolvers } from './__generated__/resolvers-types';

export const QuarantinedRecord: QuarantinedRecordResolvers = {
  // The record is whatever the source sent (any JSON), so it travels as JSON text.
  record: (row) => (row.record === null || row.record === undefined ? null : JSON.stringify(row.record)),
};
