// `npm run test:perf` (Vitest part): the perf projects declared in vite.config.ts, which
// `npm test` does not run. Paths stay relative to the repository root.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { perfProjects } from '../../vite.config.ts';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: { projects: perfProjects },
});
