// WGSL structs of 32-bit scalars (and nested such structs) described once in TypeScript, laid out
// by WGSL's rules, and packed from typed values. Field names are the WGSL names in camelCase
// (`row_start` -> `rowStart`); test/node/kernels-wgsl.test.ts checks every description against
// the struct in the .wgsl file, so a field added on one side and not the other fails there.

export type Scalar = 'u32' | 'f32';
export type FieldType = Scalar | StructDef;
export type Fields = { readonly [name: string]: FieldType };

export interface FieldLayout {
  name: string;
  type: Scalar | string; // a nested struct by its WGSL name
  offset: number; // bytes
}

export interface StructDef<F extends Fields = Fields> {
  /** The WGSL struct name. */
  name: string;
  fields: F;
  /** Scalars in byte order, nested structs flattened (`epi.dropScale`). */
  scalars: { path: string[]; type: Scalar; offset: number }[];
  /** Top-level fields and their byte offsets (what a WGSL struct declares). */
  layout: FieldLayout[];
  align: number;
  size: number;
}

/** The value of a struct: numbers for scalars (u32 or f32), objects for nested structs. */
export type StructValues<F extends Fields> = {
  [K in keyof F]: F[K] extends Scalar ? number : F[K] extends StructDef<infer G> ? StructValues<G> : never;
};

const roundUp = (k: number, n: number) => Math.ceil(n / k) * k;

/**
 * A struct's layout by WGSL's rules: each member at the next multiple of its alignment (4 for a
 * scalar, the largest member's for a struct), the size rounded up to the struct's alignment. A
 * nested struct must land on a multiple of 16 bytes: the uniform address space requires it unless
 * the browser has `uniform_buffer_standard_layout`, so only then do both layouts agree.
 */
export function struct<F extends Fields>(name: string, fields: F): StructDef<F> {
  const layout: FieldLayout[] = [];
  const scalars: StructDef['scalars'] = [];
  let offset = 0;
  let align = 4;
  for (const [field, type] of Object.entries(fields)) {
    const a = typeof type === 'string' ? 4 : type.align;
    offset = roundUp(a, offset);
    align = Math.max(align, a);
    if (typeof type === 'string') {
      scalars.push({ path: [field], type, offset });
      layout.push({ name: field, type, offset });
      offset += 4;
    } else {
      if (offset % 16)
        throw new Error(`struct ${name}: member ${field} (${type.name}) is at byte ${offset}; move it to a multiple of 16 (uniform buffers need that)`);
      for (const s of type.scalars) scalars.push({ path: [field, ...s.path], type: s.type, offset: offset + s.offset });
      layout.push({ name: field, type: type.name, offset });
      offset += type.size;
    }
  }
  return { name, fields, scalars, layout, align, size: roundUp(align, offset) };
}

/** Writes `values` at `byteOffset`; a missing, extra or non-finite field throws (no silent zero). */
export function writeStruct<F extends Fields>(view: DataView, byteOffset: number, def: StructDef<F>, values: StructValues<F>): void {
  checkKeys(def, values, def.name);
  for (const s of def.scalars) {
    let v: unknown = values;
    for (const p of s.path) v = (v as Record<string, unknown>)[p];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${def.name}.${s.path.join('.')}: expected a finite number, got ${v}`);
    if (s.type === 'f32') view.setFloat32(byteOffset + s.offset, v, true);
    else {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`${def.name}.${s.path.join('.')}: expected a u32, got ${v}`);
      view.setUint32(byteOffset + s.offset, v, true);
    }
  }
}

function checkKeys(def: StructDef, values: object, where: string): void {
  const want = Object.keys(def.fields);
  const got = Object.keys(values);
  const extra = got.filter((k) => !want.includes(k));
  const missing = want.filter((k) => !got.includes(k));
  if (extra.length || missing.length)
    throw new TypeError(
      `${where}: ${[missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `unknown ${extra.join(', ')}` : ''].filter(Boolean).join('; ')}`,
    );
  for (const [k, t] of Object.entries(def.fields)) if (typeof t !== 'string') checkKeys(t, (values as Record<string, object>)[k], `${where}.${k}`);
}

/** Reads a struct back (the inverse of writeStruct). */
export function readStruct<F extends Fields>(view: DataView, byteOffset: number, def: StructDef<F>): StructValues<F> {
  const out: Record<string, unknown> = {};
  for (const s of def.scalars) {
    let o = out;
    for (const p of s.path.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
    o[s.path[s.path.length - 1]] = s.type === 'f32' ? view.getFloat32(byteOffset + s.offset, true) : view.getUint32(byteOffset + s.offset, true);
  }
  return out as StructValues<F>;
}

/** One struct packed into its own buffer contents (size rounded up to 16 bytes). */
export function packStruct<F extends Fields>(def: StructDef<F>, values: StructValues<F>): Uint32Array<ArrayBuffer> {
  const out = new Uint32Array(roundUp(16, def.size) / 4);
  writeStruct(new DataView(out.buffer), 0, def, values);
  return out;
}

/** An array of structs in a storage buffer (array stride = size rounded up to the alignment). */
export function packStructArray<F extends Fields>(def: StructDef<F>, items: readonly StructValues<F>[]): Uint32Array<ArrayBuffer> {
  const stride = roundUp(def.align, def.size);
  const out = new Uint32Array(Math.max(4, (stride * items.length) / 4));
  const view = new DataView(out.buffer);
  items.forEach((v, i) => writeStruct(view, i * stride, def, v));
  return out;
}

/** `drop_threshold` -> `dropThreshold`: how WGSL field names map to TypeScript ones. */
export const camelCase = (wgsl: string) => wgsl.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
