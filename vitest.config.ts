import { defineConfig } from 'vitest/config';
import solid from 'vite-plugin-solid';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Argon2 and PGlite are CPU-bound; two workers match the machines we run on.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: [
            'game/**/*.test.ts',
            'platform/**/*.test.ts',
            'handlers/**/*.test.ts',
            'realtime/**/*.test.ts',
            'jobs/**/*.test.ts',
            'client/**/*.test.ts',
            'tests/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          globalSetup: ['tests/global-setup.ts'],
        },
      },
      {
        // The web client's and the admin SPA's components, rendered into happy-dom by Solid's compiler.
        extends: true,
        plugins: [solid()],
        test: {
          name: 'web',
          include: ['web/**/*.test.{ts,tsx}', 'admin/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['web/src/test-setup.ts'],
        },
      },
    ],
  },
});
