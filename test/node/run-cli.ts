// Runs the overfit-lab command line as a subprocess (src/cli/main.ts through tsx).
import { spawn } from 'node:child_process';

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/** `onLine` sees each stdout line and can send the process SIGINT (Ctrl-C). */
export function runCli(
  command: 'train' | 'bench',
  args: string[],
  opts: { env?: Record<string, string>; onLine?: (line: string, interrupt: () => void) => void } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', command, ...args], { env: { ...process.env, ...opts.env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => {
      for (const line of b.toString().split('\n')) if (line) opts.onLine?.(line, () => child.kill('SIGINT'));
      out += b;
    });
    child.stderr.on('data', (b) => (err += b));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
