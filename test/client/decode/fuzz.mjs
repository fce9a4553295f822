#!/usr/bin/env node
// The long differential run of the token keeper's reader against decodeToken:
//   npm run fuzz:client -- [tokens=200000] [seed]
// runs test/client/decode/ with that many random tokens (valid and damaged, through the reader
// and decodeToken) and as many zlib streams (through both inflaters). `npm test` runs a few
// thousand of each; .ci/run a modest size.
import { spawnSync } from 'node:child_process'

const count = Number(process.argv[2] ?? 200_000)
const seed = process.argv[3]
if (!Number.isInteger(count) || count < 1) {
  console.error('usage: npm run fuzz:client -- [tokens=200000] [seed]')
  process.exit(2)
}
const env = {
  ...process.env,
  CLIENT_DECODE_RUNS: String(count),
  CLIENT_INFLATE_STREAMS: String(count),
}
if (seed !== undefined) env.CLIENT_DECODE_SEED = seed
const result = spawnSync(
  'npx',
  ['vitest', 'run', 'test/client/decode/', '--testTimeout=86400000'],
  { stdio: 'inherit', env },
)
process.exit(result.status ?? 1)
