import { statSync } from 'node:fs';
import {
  type SourceArgs,
  SourceArgumentError,
  listArg,
  refuseUnknownArgs,
  sourceEntry,
  stringArg,
} from '../../pipeline/entry';
import { FILE_ENCODINGS, type FileEncoding, FileEncodingError, fileDecodingOf } from './encoding';
import { MappingError, parseMapEntries } from './mapping';
import { type FileOptions, fileSource } from './source';
import { SOURCE_USAGE } from '../usage';

/** `file` arguments: --path, --kind, --format, --map column=field (repeatable), --marketplace, --chunk-lines, --encoding. */
function fileOptions(args: SourceArgs): FileOptions {
  refuseUnknownArgs(args, ['path', 'kind', 'format', 'map', 'marketplace', 'chunk-lines', 'encoding']);
  const file = stringArg(args, 'path');
  if (!file) throw new SourceArgumentError('file needs --path <file.csv|file.jsonl>');
  const kind = stringArg(args, 'kind');
  if (kind !== undefined && kind !== 'listings' && kind !== 'sales')
    throw new SourceArgumentError(`--kind must be listings or sales, got "${kind}"`);
  const format = stringArg(args, 'format');
  if (format !== undefined && format !== 'csv' && format !== 'jsonl')
    throw new SourceArgumentError(`--format must be csv or jsonl, got "${format}"`);
  const chunk = stringArg(args, 'chunk-lines');
  if (chunk !== undefined && !/^[1-9]\d*$/.test(chunk))
    throw new SourceArgumentError(`--chunk-lines must be a positive integer, got "${chunk}"`);
  let map: Record<string, string>;
  try {
    map = parseMapEntries(listArg(args, 'map'));
  } catch (error) {
    if (error instanceof MappingError) throw new SourceArgumentError(error.message);
    throw error;
  }
  const marketplace = stringArg(args, 'marketplace');
  const encoding = stringArg(args, 'encoding');
  if (encoding !== undefined && !FILE_ENCODINGS.includes(encoding as FileEncoding))
    throw new SourceArgumentError(`--encoding must be one of ${FILE_ENCODINGS.join(', ')}, got "${encoding}"`);
  return {
    path: file,
    ...(kind ? { kind } : {}),
    ...(format ? { format } : {}),
    ...(Object.keys(map).length > 0 ? { map } : {}),
    ...(marketplace ? { marketplace } : {}),
    ...(chunk ? { chunkLines: Number(chunk) } : {}),
    ...(encoding ? { encoding: encoding as FileEncoding } : {}),
  };
}

/**
 * The file must be there when a run starts from the command line (a schedule may name one
 * still to come), and be text this import can decode: told here, before any run starts.
 */
function readableFile(options: FileOptions): void {
  const found = statSync(options.path, { throwIfNoEntry: false });
  if (!found) throw new SourceArgumentError(`--path ${options.path}: no such file`);
  if (!found.isFile()) throw new SourceArgumentError(`--path ${options.path} is not a file`);
  try {
    fileDecodingOf(options.path, options.encoding);
  } catch (error) {
    if (error instanceof FileEncodingError) throw new SourceArgumentError(`--path ${options.path} ${error.message}`);
    throw error;
  }
}

export const fileEntry = sourceEntry({
  usage: SOURCE_USAGE.file,
  create: () => fileSource,
  options: fileOptions,
  check: readableFile,
});
