import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

// The same bundle is loaded by Electron (from capscope://app/) and by web mode (from the local
// server), so every asset URL is relative.
export default defineConfig({
  root: here,
  base: './',
  build: {
    outDir: path.join(here, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
});
