import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The Go server (cascade serve) listens on :8080 and serves dist/ itself in
// production; in development Vite serves the SPA and forwards the API to it.
const backend = 'http://127.0.0.1:8080';
const proxy = {
  '/api': { target: backend, changeOrigin: false },
  '/healthz': { target: backend },
  '/readyz': { target: backend },
};

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    sourcemap: false,
    // ECharts is one lazily loaded chunk of ~600 KB (200 KB gzipped), fetched by the dashboard only.
    chunkSizeWarningLimit: 650,
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true, proxy },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, proxy },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    // The CI machine is shared: whole-app tests with many typed keystrokes need room.
    testTimeout: 30_000,
  },
});
