// The `.ofl` data file, shared by the prepare script, the Node loader and the browser loader.
//
// Layout: a 64-byte header of 16 little-endian u32 words, then the stored payload (raw or gzip).
// The raw payload is train.x, test.x (u32 rows: bits or bytes), then train.y, test.y (one byte per
// label), so both x sections start 4-byte aligned and can be viewed as Uint32Array without a copy.
// Then, since version 2, the vocabulary section: what the rest of the payload holds after the
// labels (header word 14, the raw size, minus the rows' bytes), either nothing (no vocabulary:
// MNIST) or a UTF-8 JSON array of exactly `features` strings, entry i naming column i (IMDB: the
// Keras index order "<pad>", "<start>", "<oov>", "<unused>", then the most frequent words).
// Version 1 files have no vocabulary section; they fail the version check and must be rebuilt.
// The checksum is CRC-32 over header words 0..14 followed by the raw payload: it covers the
// metadata, the data and the vocabulary, so a flipped byte anywhere is caught.

import type { Dataset, RowFormat } from './dataset.ts';
import { rowWords } from './dataset.ts';

export const MAGIC = 0x444c464f; // 'OFLD' read as a little-endian u32
export const FORMAT_VERSION = 2;
export const HEADER_BYTES = 64;
export const REBUILD_COMMAND = 'npm run prepare-data';

export type DatasetName = 'imdb' | 'mnist' | 'fashion-mnist';
export const DATASET_NAMES: readonly DatasetName[] = ['imdb', 'mnist', 'fashion-mnist'];
const KINDS: Record<DatasetName, number> = { imdb: 1, mnist: 2, 'fashion-mnist': 3 };
const FORMATS: RowFormat[] = ['f32', 'bits', 'u8'];

export const fileName = (name: DatasetName): string => `${name}.ofl`;

export type Compression = 'none' | 'gzip';

export interface Header {
  name: DatasetName;
  format: RowFormat;
  features: number;
  inputShape: number[];
  classes: number;
  trainCount: number;
  testCount: number;
  compression: Compression;
  storedBytes: number;
  rawBytes: number;
  /** The vocabulary section's size: rawBytes minus the rows' bytes; 0 when there is none. */
  vocabularyBytes: number;
  crc: number;
}

/** Every load failure: names the file, says what is wrong and how to rebuild it. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    /** What to do: rebuild it (a checkout), or copy it where the page looks (src/data/load-browser.ts). */
    readonly fix = `Rebuild it with \`${REBUILD_COMMAND}\`.`,
  ) {
    super(`Data file ${file} ${reason}. ${fix}`);
    this.name = 'DataFileError';
  }
}

// ---- CRC-32 (IEEE, as zlib) ----

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Incremental: pass the previous result as `crc` to continue over more bytes. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return ~c >>> 0;
}

// ---- writing (prepare script) ----

/** The bytes of the rows in the raw payload: the x sections and the labels, not the vocabulary. */
export function rowsBytes(d: Pick<Dataset, 'format' | 'features'>, trainCount: number, testCount: number): number {
  return (trainCount + testCount) * (rowWords(d.format, d.features) * 4 + 1);
}

/** The vocabulary section: the words as a UTF-8 JSON array, or no bytes when `d` has none. */
export function encodeVocabulary(d: Pick<Dataset, 'features' | 'vocabulary'>): Uint8Array {
  const v = d.vocabulary;
  if (!v) return new Uint8Array(0);
  if (v.length !== d.features) throw new Error(`vocabulary has ${v.length} entries, expected ${d.features} (one per column)`);
  if (!v.every((w) => typeof w === 'string')) throw new Error('vocabulary entries must be strings');
  return new TextEncoder().encode(JSON.stringify(v));
}

/** The raw payload of a data set: x sections, byte labels, then the vocabulary section. */
export function encodePayload(d: Dataset): Uint8Array {
  const vocabulary = encodeVocabulary(d);
  const rows = rowsBytes(d, d.train.count, d.test.count);
  const out = new Uint8Array(rows + vocabulary.length);
  out.set(vocabulary, rows);
  let o = 0;
  for (const x of [d.train.x, d.test.x]) {
    out.set(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), o);
    o += x.byteLength;
  }
  for (const y of [d.train.y, d.test.y]) {
    for (let i = 0; i < y.length; i++) {
      if (y[i] > 255) throw new Error(`label ${y[i]} does not fit a byte`);
      out[o++] = y[i];
    }
  }
  return out;
}

/** Header + stored payload. `stored` is `raw` itself or its gzip (made by the caller's zlib). */
export function encodeFile(d: Dataset & { name: DatasetName }, raw: Uint8Array, stored: Uint8Array, compression: Compression): Uint8Array {
  if (d.inputShape.length > 3) throw new Error('inputShape rank above 3');
  const h = new Uint32Array(16);
  h[0] = MAGIC;
  h[1] = FORMAT_VERSION;
  h[2] = KINDS[d.name];
  h[3] = FORMATS.indexOf(d.format);
  h[4] = d.features;
  h[5] = d.classes;
  h[6] = d.train.count;
  h[7] = d.test.count;
  h[8] = d.inputShape.length;
  d.inputShape.forEach((s, i) => (h[9 + i] = s));
  h[12] = compression === 'gzip' ? 1 : 0;
  h[13] = stored.length;
  h[14] = raw.length;
  h[15] = crc32(raw, crc32(new Uint8Array(h.buffer, 0, 60)));
  const out = new Uint8Array(HEADER_BYTES + stored.length);
  out.set(new Uint8Array(h.buffer));
  out.set(stored, HEADER_BYTES);
  return out;
}

// ---- reading (both loaders) ----

/** Checks everything that can be checked before decompressing; `bytes` is the whole file. */
export function parseHeader(bytes: Uint8Array, file: string, expected: DatasetName): Header {
  if (bytes.length < HEADER_BYTES) throw new DataFileError(file, `is truncated (${bytes.length} bytes, shorter than its header)`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const w = (i: number) => v.getUint32(i * 4, true);
  if (w(0) !== MAGIC) throw new DataFileError(file, 'is not an overfit-lab data file (wrong magic)');
  if (w(1) !== FORMAT_VERSION) throw new DataFileError(file, `has format version ${w(1)}, this build reads version ${FORMAT_VERSION}`);
  const name = DATASET_NAMES.find((n) => KINDS[n] === w(2));
  if (name !== expected) throw new DataFileError(file, `holds data set kind ${name ?? w(2)}, expected ${expected}`);
  const format = FORMATS[w(3)];
  const rank = w(8);
  if (!format || rank < 1 || rank > 3 || w(12) > 1) throw new DataFileError(file, 'has a corrupt header');
  const h: Header = {
    name,
    format,
    features: w(4),
    inputShape: [w(9), w(10), w(11)].slice(0, rank),
    classes: w(5),
    trainCount: w(6),
    testCount: w(7),
    compression: w(12) === 1 ? 'gzip' : 'none',
    storedBytes: w(13),
    rawBytes: w(14),
    vocabularyBytes: w(14) - rowsBytes({ format, features: w(4) }, w(6), w(7)),
    crc: w(15),
  };
  const stored = bytes.length - HEADER_BYTES;
  if (stored < h.storedBytes) throw new DataFileError(file, `is truncated (${stored} of ${h.storedBytes} payload bytes)`);
  if (stored > h.storedBytes) throw new DataFileError(file, `has ${stored - h.storedBytes} unexpected trailing bytes`);
  if (h.inputShape.reduce((a, b) => a * b, 1) !== h.features || h.vocabularyBytes < 0) throw new DataFileError(file, 'has a corrupt header (sizes disagree)');
  return h;
}

const CRC_SLICE = 1 << 22;

/**
 * A whole .ofl file (as read or fetched) into a Dataset. `inflate` is the environment's gunzip;
 * `pause`, when given, runs between 4 MiB checksum slices so a page's main thread stays responsive.
 */
export async function decodeFile(
  bytes: Uint8Array,
  file: string,
  expected: DatasetName,
  inflate: (stored: Uint8Array) => Promise<Uint8Array>,
  pause?: () => Promise<void>,
): Promise<Dataset> {
  const h = parseHeader(bytes, file, expected);
  const stored = bytes.subarray(HEADER_BYTES);
  let raw = stored;
  if (h.compression === 'gzip') {
    try {
      raw = await inflate(stored);
    } catch (e) {
      throw new DataFileError(file, `is corrupt (gzip: ${(e as Error).message})`);
    }
  }
  let crc = crc32(bytes.subarray(0, 60));
  for (let o = 0; o < raw.length; o += CRC_SLICE) {
    if (pause && o > 0) await pause();
    crc = crc32(raw.subarray(o, o + CRC_SLICE), crc);
  }
  return decodePayload(h, raw, crc, file);
}

/** Builds the Dataset from the raw payload; `crc` is the checksum computed over header and payload. */
function decodePayload(h: Header, raw: Uint8Array, crc: number, file: string): Dataset {
  if (raw.length !== h.rawBytes) throw new DataFileError(file, `is corrupt (payload is ${raw.length} bytes, header says ${h.rawBytes})`);
  if (crc !== h.crc) throw new DataFileError(file, 'is corrupt (checksum mismatch)');
  // Uint32Array views need 4-byte alignment; copy only when the runtime handed us an odd offset.
  // Views read the words in host order: little-endian on every platform WebGPU runs on.
  const bytes = raw.byteOffset % 4 === 0 ? raw : raw.slice();
  const w = rowWords(h.format, h.features);
  const xBytes = (n: number) => n * w * 4;
  const trX = new Uint32Array(bytes.buffer, bytes.byteOffset, h.trainCount * w);
  const teX = new Uint32Array(bytes.buffer, bytes.byteOffset + xBytes(h.trainCount), h.testCount * w);
  const yStart = xBytes(h.trainCount + h.testCount);
  const vStart = yStart + h.trainCount + h.testCount;
  const trY = Uint32Array.from(bytes.subarray(yStart, yStart + h.trainCount));
  const teY = Uint32Array.from(bytes.subarray(yStart + h.trainCount, vStart));
  const vocabulary = h.vocabularyBytes > 0 ? decodeVocabulary(bytes.subarray(vStart), h.features, file) : undefined;
  return {
    name: h.name,
    format: h.format,
    features: h.features,
    inputShape: h.inputShape,
    classes: h.classes,
    train: { x: trX, y: trY, count: h.trainCount },
    test: { x: teX, y: teY, count: h.testCount },
    ...(vocabulary && { vocabulary }),
  };
}

/** The vocabulary section (already covered by the checksum): a JSON array of `features` strings. */
function decodeVocabulary(section: Uint8Array, features: number, file: string): string[] {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(section));
  } catch (e) {
    throw new DataFileError(file, `is corrupt (vocabulary: ${(e as Error).message})`);
  }
  if (!Array.isArray(v) || v.length !== features || !v.every((w) => typeof w === 'string'))
    throw new DataFileError(file, `is corrupt (vocabulary is not a list of ${features} words)`);
  return v;
}

/** Loader options, the same in Node and the browser. */
export interface LoadOptions {
  /** Folder (Node) or URL prefix (browser) holding the .ofl files. */
  base?: string;
  trainLimit?: number;
  testLimit?: number;
}
