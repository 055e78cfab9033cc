// Library build: one self-contained ES module (lit, uPlot, the trainer and its WGSL inlined)
// that defines <overfit-lab>; `npm run build:lib` adds the type declarations and the manifest.
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist/lib',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Lib mode keeps ES output unminified for bundlers; this file is also meant for a bare <script>.
    rolldownOptions: { output: { minify: true } },
    lib: {
      entry: 'src/ui/index.ts',
      formats: ['es'],
      fileName: () => 'overfit-lab.js',
    },
  },
});
