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

export function oneOf<T extends string>(name: string, value: string | undefined, valid: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!valid.includes(value as T)) throw new UsageError(`--${name} "${value}" is not valid; valid values: ${valid.join(', ')}`);
  return value as T;
}
