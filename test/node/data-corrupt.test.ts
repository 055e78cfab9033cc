import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset.ts';
import { encodeFile, encodePayload } from '../../src/data/format.ts';
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

  it('uncompressed files are checked by the checksum too', async () => {
    const d: Dataset & { name: 'imdb' } = {
      name: 'imdb',
      format: 'bits',
      features: 100,
      inputShape: [100],
      classes: 2,
      train: { x: Uint32Array.from({ length: 8 }, (_, i) => i * 7 + 2), y: Uint32Array.of(0, 1), count: 2 },
      test: { x: Uint32Array.of(2, 0, 0, 8), y: Uint32Array.of(1), count: 1 },
    };
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
