import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  build: {
    target: 'es2022',
    // One report line per chunk, with gzip sizes: the initial-JS budget is read from it.
    reportCompressedSize: true,
  },
});
