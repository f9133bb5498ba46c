import { defineConfig } from 'vite';

// A static build (dist/) that any web server can serve; relative asset paths so it also works
// from a sub-directory.
export default defineConfig({
  base: './',
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  server: { port: 8088, strictPort: true },
  preview: { port: 8088, strictPort: true },
});
