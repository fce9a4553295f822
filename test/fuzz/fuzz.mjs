// `npm run fuzz [-- iterations [seed [edits]]]`: mutation fuzzing of the BUILT package; prints
// counts and exits non-zero on any finding. With `edits`, every mutation is a one-character
// replacement, which measures how often such an edit is accepted (docs/security.md).
import { fileURLToPath } from 'node:url'
import { join, dirname } from 'node:path'
import * as lib from '../../dist/index.js'
import { runFuzz } from './fuzz-core.mjs'

const iterations = Number(process.argv[2] ?? 1_000_000)
const seed = Number(process.argv[3] ?? Date.now() % 0xffffffff)
const mode = process.argv[4] === 'edits' ? 'edits' : 'all'
const vectorDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'vectors')
const started = performance.now()
const { counts, byCode, findings } = runFuzz(lib, { iterations, seed, vectorDir, mode })
const seconds = ((performance.now() - started) / 1000).toFixed(1)
console.log(
  `fuzz: ${counts.mutations} mutated tokens (seed ${seed}${mode === 'edits' ? ', one-character replacements only' : ''}) in ${seconds} s`,
)
console.log(`  rejected with a TokenError: ${counts.rejected}`)
for (const [code, n] of Object.entries(byCode).sort((a, b) => b[1] - a[1]))
  console.log(`    ${code}: ${n}`)
console.log(
  `  accepted, same signed payload (a re-encoding of the zlib stream): ${counts.acceptedSamePayload}`,
)
const rate = counts.acceptedSamePayloadFromText
  ? ` = 1 in ${Math.round(counts.textMutations / counts.acceptedSamePayloadFromText).toLocaleString('en')}`
  : ''
console.log(
  `    of which from a text change (an equal-length alternative deflate encoding): ${counts.acceptedSamePayloadFromText} of ${counts.textMutations} text changes${rate}`,
)
console.log(`  accepted with another payload (forgery; finding): ${counts.acceptedOtherPayload}`)
console.log(`  exceptions other than TokenError (finding): ${counts.foreignExceptions}`)
for (const f of findings) console.log(JSON.stringify(f))
process.exit(findings.length ? 1 : 0)
