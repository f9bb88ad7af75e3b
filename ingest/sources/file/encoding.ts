import { closeSync, openSync, readSync } from 'node:fs';

/** The text encodings a file import reads (`--encoding`). */
export const FILE_ENCODINGS = ['utf8', 'latin1', 'utf16le', 'utf16be'] as const;
export type FileEncoding = (typeof FILE_ENCODINGS)[number];

/**
 * What TextDecoder calls each. `latin1` is read as Windows-1252, the superset of ISO-8859-1
 * that Excel and most older systems write when they say Latin-1 (it gives € and curly quotes
 * where ISO-8859-1 has control characters).
 */
const DECODER_LABELS: Record<FileEncoding, string> = {
  utf8: 'utf-8',
  latin1: 'windows-1252',
  utf16le: 'utf-16le',
  utf16be: 'utf-16be',
};

const BYTE_ORDER_MARKS: [FileEncoding, number[]][] = [
  ['utf8', [0xef, 0xbb, 0xbf]],
  ['utf16le', [0xff, 0xfe]],
  ['utf16be', [0xfe, 0xff]],
];

/** How much of a file is looked at to tell its encoding. */
const SAMPLE_BYTES = 64 * 1024;

/** How a file is to be decoded: its encoding, and the length of the byte-order mark it starts with. */
export type FileDecoding = { encoding: FileEncoding; bomBytes: number };

/** Thrown when a file's encoding cannot be told, or it is not text; the message says what to pass. */
export class FileEncodingError extends Error {
  override name = 'FileEncodingError';
}

const startsWith = (sample: Buffer, bytes: number[]) => bytes.every((byte, i) => sample[i] === byte);

/**
 * Tells how to decode a file from its first bytes. `given` (`--encoding`) wins; without it a
 * byte-order mark names the encoding, and a file without one must be UTF-8. A file that is
 * not (a Latin-1 export, UTF-16 without a mark, something binary) is refused with what to do,
 * rather than imported as replacement characters or NUL-filled text.
 */
export function fileDecoding(sample: Buffer, given?: FileEncoding): FileDecoding {
  const marked = BYTE_ORDER_MARKS.find(([, bytes]) => startsWith(sample, bytes));
  if (given) return { encoding: given, bomBytes: marked?.[0] === given ? (marked[1]?.length ?? 0) : 0 };
  if (marked) return { encoding: marked[0], bomBytes: marked[1].length };
  const nul = sample.indexOf(0);
  if (nul !== -1) {
    throw new FileEncodingError(
      `holds a NUL byte at offset ${nul}: it is UTF-16 without a byte-order mark (pass --encoding utf16le or utf16be), or not a text file`,
    );
  }
  try {
    // `stream` lets the sample end in the middle of a character.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    throw new FileEncodingError(
      'is not UTF-8: if it came from Excel or an older system, pass --encoding latin1 (read as Windows-1252)',
    );
  }
  return { encoding: 'utf8', bomBytes: 0 };
}

/** `fileDecoding` of a file on disk, from its first 64 KiB. */
export function fileDecodingOf(path: string, given?: FileEncoding): FileDecoding {
  const fd = openSync(path, 'r');
  try {
    const sample = Buffer.alloc(SAMPLE_BYTES);
    const read = readSync(fd, sample, 0, SAMPLE_BYTES, 0);
    return fileDecoding(sample.subarray(0, read), given);
  } finally {
    closeSync(fd);
  }
}

/** A streaming decoder for `encoding`; it drops a leading byte-order mark, and bad bytes become U+FFFD. */
export const decoderFor = (encoding: FileEncoding): TextDecoder => new TextDecoder(DECODER_LABELS[encoding]);

/** How many bytes `text` took in the file, for the byte offsets of lines. */
export function encodedLength(text: string, encoding: FileEncoding): number {
  if (encoding === 'utf8') return Buffer.byteLength(text, 'utf8');
  // Windows-1252 maps each byte to one UTF-16 unit; UTF-16 takes two bytes per unit.
  return encoding === 'latin1' ? text.length : text.length * 2;
}
