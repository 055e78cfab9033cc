// The kernel descriptions (src/graph/kernels.ts) against the WGSL they describe: every Cfg and
// shared struct field by field (name, type, order, byte offset by WGSL's rules), every binding
// by name and access, every workgroup-size override and its default. A field added on one side
// only fails here, in Node, before any GPU runs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { camelCase, packStruct, readStruct, struct } from '../../src/gpu/struct.ts';
import { EPI, KERNELS, STEP, TENSOR } from '../../src/graph/kernels.ts';
import { MATMUL_VARIANTS, matmulMain } from '../../src/graph/matmul.ts';

const wgsl = (name: string) => readFileSync(new URL(`../../shaders/${name}.wgsl`, import.meta.url), 'utf8').replace(/\/\/.*$/gm, '');
const common = wgsl('common');

/** `struct Name { field: type, ... }` as [name, type] pairs. */
function parseStruct(code: string, name: string): [string, string][] {
  const m = new RegExp(`struct ${name}\\s*\\{([^}]*)\\}`).exec(code);
  if (!m) throw new Error(`no struct ${name}`);
  return m[1]
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
    .map((f) => f.split(':').map((x) => x.trim()) as [string, string]);
}

/** `@group(0) @binding(i) var<space[, access]> name: type;` in binding order. */
function parseBindings(code: string) {
  return [...code.matchAll(/@group\(0\)\s*@binding\((\d+)\)\s*var<([^>]+)>\s*(\w+)\s*:/g)].map((m) => ({
    binding: Number(m[1]),
    space: m[2].replace(/\s/g, ''),
    name: m[3],
  }));
}

const described = (def: { layout: { name: string; type: string }[] }) => def.layout.map((f) => [f.name, f.type]);

describe('shared structs of shaders/common.wgsl', () => {
  for (const def of [STEP, EPI, TENSOR])
    it(`${def.name}: fields in order with their types`, () => {
      expect(described(def)).toEqual(parseStruct(common, def.name).map(([n, t]) => [camelCase(n), t]));
    });
});

describe('kernel descriptions against shaders/*.wgsl', () => {
  for (const k of Object.values(KERNELS)) {
    const code = wgsl(k.name);
    it(`${k.name}: Cfg fields, names and types`, () => {
      expect(described(k.cfg)).toEqual(parseStruct(code, 'Cfg').map(([n, t]) => [camelCase(n), t]));
    });
    it(`${k.name}: bindings 0 and 1 are the Step and the Cfg, then the storage buffers by name and access`, () => {
      const b = parseBindings(code);
      expect(b.map((x) => x.binding)).toEqual(b.map((_, i) => i));
      expect(b.slice(0, 2).map((x) => `${x.space} ${x.name}`)).toEqual(['uniform step', 'uniform cfg']);
      expect(
        b.slice(2).map((x) => ({ name: x.name, access: x.space === 'storage,read' ? 'read' : x.space === 'storage,read_write' ? 'rw' : x.space })),
      ).toEqual(k.bindings);
    });
    it(`${k.name}: workgroup sizes are override constants with the described defaults`, () => {
      const source = common + code;
      for (const [name, value] of Object.entries(k.workgroup)) expect(source).toMatch(new RegExp(`override ${name}: u32 = ${value}u;`));
      expect(code).not.toMatch(/@workgroup_size\(\s*\d/);
    });
  }

  it('no literal 256 in WGSL outside an override default (and generated matmul mains use the overrides)', () => {
    for (const name of ['common', ...Object.keys(KERNELS)]) {
      const lines = wgsl(name)
        .split('\n')
        .filter((l) => /\b256u?\b/.test(l));
      expect(
        lines.every((l) => /^\s*override \w+: u32 = 256u;/.test(l)),
        `${name}: ${lines.join(' | ')}`,
      ).toBe(true);
    }
    for (const v of MATMUL_VARIANTS) expect(matmulMain(v)).toMatch(/@workgroup_size\(WG_N, WG_M\)/);
  });
});

describe('struct layout and packing', () => {
  it('lays nested structs at 16-byte offsets (uniform rules) and refuses a misplaced one', () => {
    expect(KERNELS.matmul.cfg.layout.find((f) => f.name === 'epi')!.offset).toBe(32);
    expect(KERNELS.batchnorm.cfg.layout.find((f) => f.name === 'epi')!.offset).toBe(0);
    expect(KERNELS.batchnorm.cfg.size).toBe(60);
    expect(STEP.size).toBe(24);
    expect(() => struct('Bad', { a: 'u32', epi: EPI })).toThrow(/byte 4; move it to a multiple of 16/);
  });

  it('packs u32 and f32 fields where the layout says, and reads them back', () => {
    const cfg = KERNELS.batchnorm.cfg;
    const values = {
      epi: { act: 1, dropThreshold: 5033165, dropScale: 1 / 0.7, layer: 3 },
      width: 128,
      gammaOff: 7,
      stateOff: 9,
      writeDx: 1,
      decay: 0.01,
      epsilon: 0.001,
      actRstride: 11,
      pRstride: 12,
      accRstride: 13,
      sRstride: 14,
      activeOff: 15,
    };
    const packed = packStruct(cfg, values);
    expect(packed.byteLength).toBe(64); // 60 rounded up to 16
    expect([...packed.subarray(10, 15)]).toEqual([11, 12, 13, 14, 15]);
    const f = new Float32Array(packed.buffer);
    expect([packed[0], packed[1], packed[3], packed[4], packed[5], packed[6], packed[7]]).toEqual([1, 5033165, 3, 128, 7, 9, 1]);
    expect([f[2], f[8], f[9]]).toEqual([Math.fround(1 / 0.7), Math.fround(0.01), Math.fround(0.001)]);
    const back = readStruct(new DataView(packed.buffer), 0, cfg);
    expect(back.width).toBe(128);
    expect(back.epi.dropScale).toBe(Math.fround(1 / 0.7));
  });

  it('refuses missing, unknown, non-finite and non-u32 values instead of writing a silent 0', () => {
    const cfg = KERNELS.loss.cfg;
    const ok = { classes: 1, metricsOff: 0, zRstride: 0, orderRstride: 0, metricsRstride: 0 };
    expect(() => packStruct(cfg, { classes: 1 } as never)).toThrow(/missing metricsOff, zRstride, orderRstride, metricsRstride/);
    expect(() => packStruct(cfg, { ...ok, extra: 1 } as never)).toThrow(/unknown extra/);
    expect(() => packStruct(cfg, { ...ok, classes: NaN })).toThrow(/finite/);
    expect(() => packStruct(cfg, { ...ok, classes: -1 })).toThrow(/u32/);
  });
});
