import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset.ts';
import { encodeFile, encodePayload, FORMAT_VERSION, HEADER_BYTES, rowsBytes } from '../../src/data/format.ts';
import { DEFAULT_BASE, loadDataset } from '../../src/data/load-node.ts';

const dir = mkdtempSync(join(tmpdir(), 'ofl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the real imdb.ofl in its own folder, changed by `edit`. */
function brokenImdb(tag: string, edit: (b: Uint8Array) => Uint8Array): string {
  const base = join(dir, tag);
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base);
  writeFileSync(join(base, 'imdb.ofl'), edit(new Uint8Array(readFileSync(join(DEFAULT_BASE, 'imdb.ofl')))));
  return base;
}

async function expectClearError(base: string, why: RegExp) {
  const err = await loadDataset('imdb', { base }).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(err).toBeInstanceOf(Error);
  expect(err!.message).toContain(join(base, 'imdb.ofl'));
  expect(err!.message).toContain('npm run prepare-data');
  expect(err!.message).toMatch(why);
}

/** A two-row, one-row IMDB-shaped data set (bits rows of 4 words). */
const tinyImdb = (): Dataset & { name: 'imdb' } => ({
  name: 'imdb',
  format: 'bits',
  features: 100,
  inputShape: [100],
  classes: 2,
  train: { x: Uint32Array.from({ length: 8 }, (_, i) => i * 7 + 2), y: Uint32Array.of(0, 1), count: 2 },
  test: { x: Uint32Array.of(2, 0, 0, 8), y: Uint32Array.of(1), count: 1 },
});

describe('broken data files give an error naming the file and the rebuild command', () => {
  it('loads an intact copy', async () => {
    const d = await loadDataset('imdb', { base: brokenImdb('intact', (b) => b) });
    expect(d.train.count).toBe(25000);
  });
  it('flipped payload byte', () =>
    expectClearError(
      brokenImdb('flip', (b) => ((b[b.length >> 1] ^= 0x10), b)),
      /corrupt/,
    ));
  it('flipped header byte (covered by the checksum)', () =>
    expectClearError(
      brokenImdb('flip-header', (b) => ((b[20] ^= 0x01), b)), // the class count
      /corrupt/,
    ));
  it('truncated file', () =>
    expectClearError(
      brokenImdb('trunc', (b) => b.subarray(0, b.length - 1000)),
      /truncated/,
    ));
  it('wrong magic', () =>
    expectClearError(
      brokenImdb('magic', (b) => ((b[0] = 0x58), b)),
      /wrong magic/,
    ));
  it('another data set under this name', async () => {
    const base = brokenImdb('kind', (b) => b);
    copyFileSync(join(DEFAULT_BASE, 'mnist.ofl'), join(base, 'imdb.ofl'));
    await expectClearError(base, /expected imdb/);
  });
  it('missing file', () => expectClearError(join(dir, 'nowhere'), /missing/));
  it('a file of an older format version (before the vocabulary section)', () =>
    expectClearError(
      brokenImdb('version-1', (b) => ((b[4] = 1), b)),
      new RegExp(`format version 1, this build reads version ${FORMAT_VERSION}`),
    ));

  it('uncompressed files are checked by the checksum too', async () => {
    const d = tinyImdb();
    const raw = encodePayload(d);
    const file = encodeFile(d, raw, raw, 'none');
    const back = await loadDataset('imdb', { base: brokenImdb('plain', () => file.slice()) });
    expect([...back.train.x, ...back.test.x, ...back.train.y, ...back.test.y]).toEqual([...d.train.x, ...d.test.x, 0, 1, 1]);
    await expectClearError(
      brokenImdb('plain-flip', () => ((file[70] ^= 4), file)),
      /checksum/,
    );
  });
});

describe('the vocabulary section', () => {
  const vocabulary = ['<pad>', '<start>', 'naïve', 'a "quoted" word', ...Array.from({ length: 96 }, (_, i) => `w${i}`)];
  const small = (): Dataset & { name: 'imdb' } => ({ ...tinyImdb(), vocabulary });

  it('round-trips after the rows, leaving the x sections where they were', async () => {
    const d = small();
    const raw = encodePayload(d);
    const rows = rowsBytes(d, 2, 1);
    expect(rows).toBe(3 * 17);
    expect(raw.length).toBeGreaterThan(rows);
    // Without the vocabulary the payload is exactly the rows.
    expect([...raw.subarray(0, rows)]).toEqual([...encodePayload({ ...d, vocabulary: undefined })]);
    const back = await loadDataset('imdb', { base: brokenImdb('vocab', () => encodeFile(d, raw, raw, 'none')) });
    expect(back.vocabulary).toEqual(vocabulary);
    expect([...back.train.x, ...back.test.x, ...back.train.y, ...back.test.y]).toEqual([...d.train.x, ...d.test.x, 0, 1, 1]);
    // Limits keep it.
    const limited = await loadDataset('imdb', { base: join(dir, 'vocab'), trainLimit: 1 });
    expect([limited.train.count, limited.vocabulary?.[2]]).toEqual([1, 'naïve']);
  });

  it('a data set without one round-trips without one', async () => {
    const d = { ...small(), vocabulary: undefined };
    const raw = encodePayload(d);
    const back = await loadDataset('imdb', { base: brokenImdb('no-vocab', () => encodeFile(d, raw, raw, 'none')) });
    expect(back.vocabulary).toBeUndefined();
    expect('vocabulary' in back).toBe(false);
  });

  it('must name every column, no more, no fewer', () => {
    expect(() => encodePayload({ ...small(), vocabulary: vocabulary.slice(1) })).toThrow(/99 entries, expected 100/);
    expect(() => encodePayload({ ...small(), vocabulary: [...vocabulary, 'x'] })).toThrow(/101 entries, expected 100/);
  });

  it('a changed byte in it is caught by the checksum (plain)', async () => {
    const d = small();
    const raw = encodePayload(d);
    const file = encodeFile(d, raw, raw, 'none');
    // A letter of "naïve": the JSON stays valid, only the checksum can tell.
    const at = HEADER_BYTES + rowsBytes(d, 2, 1) + new TextEncoder().encode('["<pad>","<start>","n').length;
    expect(String.fromCharCode(file[at])).toBe('a');
    await expectClearError(
      brokenImdb('vocab-flip', () => ((file[at] ^= 0x02), file)),
      /checksum/,
    );
  });

  it('a changed byte in the real IMDB vocabulary is caught by the checksum (gzip)', async () => {
    const d = { ...(await loadDataset('imdb')), name: 'imdb' as const };
    const raw = encodePayload(d);
    const text = new TextDecoder().decode(raw.subarray(rowsBytes(d, d.train.count, d.test.count)));
    expect(text.startsWith('["<pad>","<start>","<oov>","<unused>","the",')).toBe(true);
    const changed = raw.slice();
    changed[rowsBytes(d, d.train.count, d.test.count) + text.indexOf('"the"') + 1] = 't'.charCodeAt(0) + 1; // "uhe"
    // Header (sizes, checksum) of the intact payload, stored bytes of the changed one.
    await expectClearError(
      brokenImdb('vocab-gzip', () => encodeFile(d, raw, gzipSync(changed), 'gzip')),
      /checksum/,
    );
  });
});
