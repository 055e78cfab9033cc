// overfit-lab command line: `train` (and `bench`), each in headless Chromium with WebGPU.
import { ModelSpecError } from '../model/spec.ts';
import { UsageError } from './args.ts';
import { bench, BENCH_USAGE } from './bench.ts';
import { train, TRAIN_USAGE } from './train.ts';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; usage: string }> = {
  train: { run: train, usage: TRAIN_USAGE },
  bench: { run: bench, usage: BENCH_USAGE },
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const cmd = COMMANDS[command ?? ''];
  if (!cmd) {
    console.error(`overfit-lab: unknown command "${command ?? ''}"; valid commands: ${Object.keys(COMMANDS).join(', ')}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: ${cmd.usage}`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    const err = e as Error;
    const usage = err instanceof UsageError || err instanceof ModelSpecError;
    console.error(`overfit-lab ${command}: ${err.message}`);
    return usage ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
