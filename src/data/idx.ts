// The idx-ubyte files of MNIST and Fashion-MNIST (big-endian header, then raw bytes), into the
// Dataset's 'u8' rows: 784 pixel bytes = 196 little-endian u32 words per image, no expansion.

import type { Dataset, Split } from './dataset.ts';

/** The dims and data of an idx file of unsigned bytes (type code 0x08). */
export function parseIdx(bytes: Uint8Array, what: string): { dims: number[]; data: Uint8Array } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || v.getUint16(0) !== 0 || v.getUint8(2) !== 0x08) throw new Error(`${what}: not an idx-ubyte file`);
  const rank = v.getUint8(3);
  const dims = Array.from({ length: rank }, (_, i) => v.getUint32(4 + 4 * i));
  const start = 4 + 4 * rank;
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== start + size) throw new Error(`${what}: ${bytes.length} bytes, expected ${start + size}`);
  return { dims, data: bytes.subarray(start) };
}

function split(images: Uint8Array, labels: Uint8Array, what: string): Split {
  const im = parseIdx(images, `${what} images`);
  const lb = parseIdx(labels, `${what} labels`);
  const [n, h, w] = im.dims;
  if (im.dims.length !== 3 || h !== 28 || w !== 28 || lb.dims.length !== 1 || lb.dims[0] !== n)
    throw new Error(`${what}: unexpected idx shapes ${im.dims} / ${lb.dims}`);
  // A fresh copy is 4-byte aligned, so the pixel bytes become u32 words as they are.
  return { x: new Uint32Array(im.data.slice().buffer), y: Uint32Array.from(lb.data), count: n };
}

/** MNIST-shaped data set from the four (decompressed) idx files. */
export function buildImageSet(
  name: 'mnist' | 'fashion-mnist',
  f: { trainImages: Uint8Array; trainLabels: Uint8Array; testImages: Uint8Array; testLabels: Uint8Array },
): Dataset & { name: 'mnist' | 'fashion-mnist' } {
  return {
    name,
    format: 'u8',
    features: 784,
    inputShape: [28, 28],
    classes: 10,
    train: split(f.trainImages, f.trainLabels, `${name} train`),
    test: split(f.testImages, f.testLabels, `${name} test`),
  };
}
