import { defineConfig } from 'vitest/config'

// The inspector page in headless Chromium, excluded from `vitest run`: `npm run test:site`.
export default defineConfig({
  test: {
    include: ['test/site/**/*.site.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
