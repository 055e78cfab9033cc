// Browser loader: fetch + DecompressionStream('gzip') around the shared decoder. The data stay
// compact (bits / bytes); the GPU expands them, so nothing here is a long main-thread task.

import { type Dataset, limitDataset } from './dataset.ts';
import { DataFileError, type DatasetName, decodeFile, fileName, type LoadOptions } from './format.ts';

export { DataFileError, type DatasetName, type LoadOptions } from './format.ts';

/** Vite serves public/ at the site root, so public/data/x.ofl is /data/x.ofl. */
export const DEFAULT_BASE = '/data';

async function gunzip(stored: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([stored as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const nextTask = () => new Promise<void>((r) => setTimeout(r, 0));

export async function loadDataset(name: DatasetName, opts: LoadOptions = {}): Promise<Dataset> {
  const file = `${(opts.base ?? DEFAULT_BASE).replace(/\/$/, '')}/${fileName(name)}`;
  let res: Response;
  try {
    res = await fetch(file);
  } catch (e) {
    throw new DataFileError(file, `cannot be fetched (${(e as Error).message})`);
  }
  // A dev server's SPA fallback answers a missing file with index.html and status 200.
  if (res.status === 404 || (res.ok && (res.headers.get('content-type') ?? '').includes('text/html')))
    throw new DataFileError(file, 'is missing');
  if (!res.ok) throw new DataFileError(file, `cannot be fetched (HTTP ${res.status})`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const d = await decodeFile(bytes, file, name, gunzip, nextTask);
  return limitDataset(d, opts.trainLimit, opts.testLimit);
}
