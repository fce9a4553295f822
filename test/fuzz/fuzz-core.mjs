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
 * @param {{ iterations: number, seed?: number, vectorDir: string }} options
 */
export function runFuzz(lib, { iterations, seed = 1, vectorDir }) {
  const tokens = corpus(vectorDir)
  const rand = xorshift(seed)
  const counts = {
    mutations: 0,
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
    const strategy = rand(3)
    if (strategy === 0) mutated = mutateText(token, rand)
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

function sameSignedBytes(a, b) {
  try {
    return inflateSync(Buffer.from(a.slice(3), 'base64')).equals(
      inflateSync(Buffer.from(b.slice(3), 'base64')),
    )
  } catch {
    return false
  }
}
