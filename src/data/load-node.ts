// Node loader for public/data/*.ofl (tests, CLI): fs + zlib around the shared decoder.

import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { type Dataset, limitDataset } from './dataset.ts';
import { DataFileError, type DatasetName, decodeFile, fileName, type LoadOptions } from './format.ts';

export { DataFileError, type DatasetName, type LoadOptions } from './format.ts';

/** The repository's public/data, where scripts/prepare-data.ts writes. */
export const DEFAULT_BASE = resolve(dirname(fileURLToPath(import.meta.url)), '../../public/data');

const gunzipAsync = promisify(gunzip);

export async function loadDataset(name: DatasetName, opts: LoadOptions = {}): Promise<Dataset> {
  const file = join(opts.base ?? DEFAULT_BASE, fileName(name));
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFileError(file, code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? (e as Error).message})`);
  }
  const d = await decodeFile(bytes, file, name, async (s) => new Uint8Array(await gunzipAsync(s)));
  return limitDataset(d, opts.trainLimit, opts.testLimit);
}
