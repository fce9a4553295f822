import { defineConfig } from 'vitest/config'

// Long-running suites, excluded from `vitest run`: `npm run test:zlib-long` runs the differential
// tests under test/long/ and the whole zlib corpora of test/lib/zlib.test.ts and test/lib/zlib/
// (`npm test` runs a tenth).
export default defineConfig({
  test: {
    include: ['test/long/**/*.long.ts', 'test/lib/zlib.test.ts', 'test/lib/zlib/**/*.test.ts'],
    testTimeout: 4 * 60 * 60 * 1000,
    env: { ZLIB_CORPUS_SCALE: process.env.ZLIB_CORPUS_SCALE ?? '1' },
  },
})
