// A smaller run of the mutation fuzzer (`npm run fuzz` runs a million) against the sources.
import { join } from 'node:path'
import { expect, it } from 'vitest'
import * as lib from '../src/index.js'
import { runFuzz } from './fuzz/fuzz-core.mjs'

it('20,000 mutated tokens of every generator: only re-encodings of the same payload accepted, nothing but TokenError thrown', () => {
  const { counts, findings } = runFuzz(lib, {
    iterations: 20_000,
    seed: 20261123,
    vectorDir: join(__dirname, '..', 'vectors'),
  })
  expect(findings).toEqual([])
  expect(counts.foreignExceptions).toBe(0)
  // Deflate's rare equal-length alternative encodings (about 1 in 44,000 one-character
  // replacements, docs/security.md) are the only way an edit can be accepted: with the very same
  // signed payload, which runFuzz checks for every accepted mutation.
  expect(counts.acceptedOtherPayload).toBe(0)
  expect(counts.rejected + counts.acceptedSamePayload).toBe(20_000)
  expect(counts.rejected).toBeGreaterThan(19_000)
})
