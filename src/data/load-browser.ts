// Browser loader: fetch + DecompressionStream('gzip') around the shared decoder. The data stay
// compact (bits / bytes); the GPU expands them, so nothing here is a long main-thread task.

import { type Dataset, limitDataset } from './dataset.ts';
import { DataFileError, type DatasetName, decodeFile, fileName, type LoadOptions, REBUILD_COMMAND } from './format.ts';

export { DataFileError, type DatasetName, type LoadOptions } from './format.ts';

/** Vite serves public/ at the site root, so public/data/x.ofl is /data/x.ofl. */
export const DEFAULT_BASE = '/data';

const nextTask = () => new Promise<void>((r) => setTimeout(r, 0));
const GZIP_SLICE = 128 * 1024;

/** DecompressionStream inflates on the main thread: feed it in slices, yielding a task between
 *  them, so MNIST (11 MB compressed) is no single long task. */
async function gunzip(stored: Uint8Array): Promise<Uint8Array> {
  const ds = new DecompressionStream('gzip');
  const inflated = new Response(ds.readable).arrayBuffer();
  const writer = ds.writable.getWriter();
  try {
    for (let o = 0; o < stored.length; o += GZIP_SLICE) {
      await writer.write(stored.subarray(o, o + GZIP_SLICE) as Uint8Array<ArrayBuffer>);
      await nextTask();
    }
    await writer.close();
  } catch (e) {
    inflated.catch(() => {});
    throw e;
  }
  return new Uint8Array(await inflated);
}

/** What an author hosting the page should do about a missing or bad file at `url`: a build
 *  command means nothing on a course platform. */
export function hostedFix(name: DatasetName, url: string): string {
  const folder = new URL('.', url).href;
  return (
    `Copy ${fileName(name)} (in overfit-lab's public/data/ after \`npm install\`) into ${folder}, or set the element's data-base ` +
    `attribute to the folder that holds it (in a checkout of overfit-lab: \`${REBUILD_COMMAND}\`).`
  );
}

export async function loadDataset(name: DatasetName, opts: LoadOptions = {}): Promise<Dataset> {
  const file = `${(opts.base ?? DEFAULT_BASE).replace(/\/$/, '')}/${fileName(name)}`;
  const url = new URL(file, globalThis.location?.href).href; // the address the page tried
  const fix = hostedFix(name, url);
  let res: Response;
  try {
    res = await fetch(file);
  } catch (e) {
    throw new DataFileError(url, `cannot be fetched (${(e as Error).message})`, fix);
  }
  // A dev server's SPA fallback answers a missing file with index.html and status 200.
  const html = res.ok && (res.headers.get('content-type') ?? '').includes('text/html');
  if (res.status === 404 || html) throw new DataFileError(url, `is missing (${html ? 'the server sent a web page instead, ' : ''}HTTP ${res.status})`, fix);
  if (!res.ok) throw new DataFileError(url, `cannot be fetched (HTTP ${res.status})`, fix);
  const bytes = new Uint8Array(await res.arrayBuffer());
  try {
    const d = await decodeFile(bytes, url, name, gunzip, nextTask);
    return limitDataset(d, opts.trainLimit, opts.testLimit);
  } catch (e) {
    throw e instanceof DataFileError ? new DataFileError(e.file, e.reason, fix) : e;
  }
}
