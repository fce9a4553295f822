import { defineConfig } from 'vitest/config'

// Registry tests against a real redis-server (started by each file on a free loopback port):
// `npm run test:redis`. Not part of `vitest run`, which must not need Redis installed.
export default defineConfig({
  test: {
    include: ['test/registry/**/*.redis.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    fileParallelism: false,
  },
})
