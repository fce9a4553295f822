// Mutation fuzzing of decodeToken/verifyToken over real tokens of every generator. Used by
// `npm run fuzz` (a million or more mutations against the built package) and by the CI suite
// (a smaller run against the sources). Every mutation must be rejected with a TokenError; any
// other exception, or an accepted mutation whose signed bytes changed, is a finding.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { inflateSync, deflateSync } from 'node:zlib'
import { mutateBytes, mutateText } from '../helpers/mutate.mjs'

/** Real 007 tokens with their certificates, from every generator in vectors/. */
export function corpus(vectorDir) {
  const out = []
  for (const file of readdirSync(vectorDir).filter((f) => f.endsWith('.accesstoken2.json'))) {
    for (const v of JSON.parse(readFileSync(join(vectorDir, file), 'utf8')).vectors) {
      out.push({ token: v.token, cert: v.appCertificate })
    }
  }
  return out
}

function xorshift(seed) {
  let s = seed >>> 0 || 0x9e3779b9
  return (n) => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s % n
  }
}

/**
 * @param {{ verifyToken: Function, TokenError: Function }} lib the library under test
 * @param {{ iterations: number, seed?: number, vectorDir: string, mode?: 'all' | 'edits' }} options
 *   mode 'edits' draws only one-character replacements (a base64 character at a random place),
 *   to measure how often such an edit is accepted (always with the same signed payload)
 */
export function runFuzz(lib, { iterations, seed = 1, vectorDir, mode = 'all' }) {
  const tokens = corpus(vectorDir)
  const rand = xorshift(seed)
  const counts = {
    mutations: 0,
    // Mutations that changed the token's text directly (a character replaced, inserted or removed,
    // or the end cut or extended): the denominator of the accepted-text-edit rate.
    textMutations: 0,
    rejected: 0,
    // Accepted with exactly the signed payload of the original: another zlib encoding of it
    // (accepted by design: Go and Node encode differently) or a no-op payload mutation.
    acceptedSamePayload: 0,
    // Of those, how many came from a text change of the token (a character replaced, inserted or
    // removed) rather than a byte-level edit: deflate has a few equal-length alternative encodings
    // (e.g. a run of three zero code lengths as one repeat code or as three literal zeros), so a
    // rare text change re-encodes the same payload. Still the exact signed payload, never another.
    acceptedSamePayloadFromText: 0,
    // Accepted with a different payload: a forgery. Must never happen.
    acceptedOtherPayload: 0,
    foreignExceptions: 0,
  }
  const byCode = {}
  const findings = []
  const payloads = new Map()
  const currentDate = new Date(0)
  while (counts.mutations < iterations) {
    const { token, cert } = tokens[rand(tokens.length)]
    let mutated
    const strategy = mode === 'edits' ? 0 : rand(3)
    if (mode === 'edits') mutated = replaceOneCharacter(token, rand)
    else if (strategy === 0) mutated = mutateText(token, rand)
    else {
      const compressed = Buffer.from(token.slice(3), 'base64')
      if (strategy === 1)
        mutated = '007' + Buffer.from(mutateBytes(compressed, rand)).toString('base64')
      else {
        let payload = payloads.get(token)
        if (!payload) payloads.set(token, (payload = inflateSync(compressed)))
        mutated = '007' + deflateSync(mutateBytes(payload, rand)).toString('base64')
      }
    }
    if (mutated === token) continue // a no-op mutation (e.g. truncating at the end): draw again
    counts.mutations++
    if (strategy === 0) counts.textMutations++
    try {
      lib.verifyToken(mutated, cert, { currentDate })
      if (sameSignedBytes(token, mutated)) {
        counts.acceptedSamePayload++
        if (strategy === 0) counts.acceptedSamePayloadFromText++
      } else {
        counts.acceptedOtherPayload++
        if (findings.length < 20)
          findings.push({ kind: 'accepted another payload', token, mutated })
      }
    } catch (e) {
      if (e instanceof lib.TokenError) {
        counts.rejected++
        byCode[e.code] = (byCode[e.code] ?? 0) + 1
      } else {
        counts.foreignExceptions++
        if (findings.length < 20)
          findings.push({ kind: 'exception', mutated, error: String(e?.stack ?? e) })
      }
    }
  }
  return { counts, byCode, findings }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='

/** The token with one character replaced by another base64 character. */
function replaceOneCharacter(token, rand) {
  const p = rand(token.length)
  let c = B64[rand(B64.length)]
  if (c === token[p]) c = B64[(B64.indexOf(c) + 1) % B64.length]
  return token.slice(0, p) + c + token.slice(p + 1)
}

function sameSignedBytes(a, b) {
  try {
    return inflateSync(Buffer.from(a.slice(3), 'base64')).equals(
      inflateSync(Buffer.from(b.slice(3), 'base64')),
    )
  } catch {
    return false
  }
}
