// Page side of the CLI's tune cache: the CLI (src/cli/train.ts exposeTuneCache) exposes a
// file-backed store to the page it drives; the page hands it to the autotuner as a TuneStore.
import type { TuneStore } from '../graph/autotune.ts';

declare global {
  interface Window {
    overfitTuneGet?: (key: string) => Promise<string | null>;
    overfitTuneSet?: (key: string, value: string) => Promise<void>;
  }
}

/** The CLI's tune cache file when the page runs under the CLI, else undefined. */
export function cliTuneStore(): TuneStore | undefined {
  const get = window.overfitTuneGet;
  const set = window.overfitTuneSet;
  return get && set ? { where: 'file (CLI)', get: (k) => get(k), set: (k, v) => set(k, v) } : undefined;
}
