import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  // Relative asset paths: the same build is loaded over http:// (serve) and from the Electron protocol.
  base: './',
  plugins: [vue()],
  resolve: {
    alias: { '@shared': here('../shared'), '@': here('./src') },
  },
  build: {
    outDir: here('../dist/renderer'),
    emptyOutDir: true,
    // Element Plus full import is one large chunk by design; the app is local, so size is not a concern.
    chunkSizeWarningLimit: 2000,
  },
});
