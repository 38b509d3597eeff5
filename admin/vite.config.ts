import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

/**
 * The admin SPA. `npm run build` writes admin/dist, which `sectorwars all` serves at `/admin/`
 * (and nginx in compose, from /srv/admin). `npm run dev:admin` serves it with hot reload on
 * :5174, passing the API through to a game running on :8080.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  plugins: [solid()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: {
    port: 5174,
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
