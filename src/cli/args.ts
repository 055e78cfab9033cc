// Strict option parsing with one-line errors that name the option and list valid values.
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

type Spec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

export function parse<T extends Spec>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    const msg = (e as Error).message;
    const opt = /'(-[^']+)'/.exec(msg)?.[1];
    const valid = Object.keys(options)
      .map((k) => `--${k}`)
      .join(', ');
    throw new UsageError(
      opt && /Unknown option/.test(msg) ? `unknown option ${opt}; valid options: ${valid}` : `${msg.split('\n')[0]}; valid options: ${valid}`,
    );
  }
}

export function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

/** `--seeds N` (seeds 1..N) or `--seeds 3,7,11`. */
export function seedList(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const bad = () => new UsageError(`--seeds takes a count (--seeds 5: seeds 1..5) or a list (--seeds 3,7,11) of integers in [0, 4294967295], got "${value}"`);
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    if (n < 1 || n > 64) throw bad();
    return Array.from({ length: n }, (_, i) => i + 1);
  }
  const seeds = value.split(',').map((x) => Number(x.trim()));
  if (seeds.length < 1 || seeds.some((s) => !/^\s*\d+\s*$/.test(String(s)) || !Number.isInteger(s) || s > 0xffffffff)) throw bad();
  return seeds;
}

/** `--sweep l2=0,0.0001,0.001` (also l1, dropout, lr). */
export function sweepOf<P extends string>(value: string | undefined, params: readonly P[]): { param: P; values: number[] } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\w+)=(.+)$/.exec(value);
  const bad = (why: string) =>
    new UsageError(`--sweep ${why}: give PARAM=V1,V2,... with PARAM one of ${params.join(', ')}, e.g. --sweep l2=0,0.0001,0.001,0.01`);
  if (!m) throw bad(`"${value}" is not PARAM=VALUES`);
  if (!params.includes(m[1] as P)) throw bad(`"${m[1]}" is not a parameter one can sweep`);
  const values = m[2].split(',').map((x) => (x.trim() === '' ? NaN : Number(x)));
  if (values.some((x) => !Number.isFinite(x))) throw bad(`"${m[2]}" has a value that is not a number`);
  return { param: m[1] as P, values };
}

export function oneOf<T extends string>(name: string, value: string | undefined, valid: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!valid.includes(value as T)) throw new UsageError(`--${name} "${value}" is not valid; valid values: ${valid.join(', ')}`);
  return value as T;
}
