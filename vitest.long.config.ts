import { defineConfig } from 'vitest/config'

// Long-running differential tests, excluded from `vitest run`: `npm run test:zlib-long`.
export default defineConfig({
  test: {
    include: ['test/long/**/*.long.ts'],
    testTimeout: 4 * 60 * 60 * 1000,
  },
})
