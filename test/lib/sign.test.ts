// Signing is checked against the docs/format.md formula computed two independent ways, with
// node:crypto and with @noble/hashes, on random certificates, times, salts and signing infos,
// including sequences that hit, miss and evict the per-certificate cache.
import { createHmac, randomBytes } from 'node:crypto'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { asciiBytes } from '../../src/lib/bytes.js'
import { nativeCrypto } from '../../src/lib/native.js'
import {
  hmacSha256,
  setNativeHmacMinBytes,
  signInto,
  signatureMatches,
} from '../../src/lib/sign.js'

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300)

function u32le(value: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(value)
  return b
}

/** docs/format.md "Signing", with node:crypto. */
function nodeSignature(
  certificate: string,
  issueTs: number,
  salt: number,
  info: Uint8Array,
): string {
  const k1 = createHmac('sha256', u32le(issueTs))
    .update(Buffer.from(certificate, 'latin1'))
    .digest()
  const signingKey = createHmac('sha256', u32le(salt)).update(k1).digest()
  return createHmac('sha256', signingKey).update(info).digest('hex')
}

/** docs/format.md "Signing", with @noble/hashes. */
function nobleSignature(
  certificate: string,
  issueTs: number,
  salt: number,
  info: Uint8Array,
): string {
  const k1 = hmac(sha256, u32le(issueTs), asciiBytes(certificate))
  return Buffer.from(hmac(sha256, hmac(sha256, u32le(salt), k1), info)).toString('hex')
}

function ours(certificate: string, issueTs: number, salt: number, info: Uint8Array): string {
  const out = new Uint8Array(32)
  signInto(certificate, issueTs, salt, info, out, 0)
  return Buffer.from(out).toString('hex')
}

const hexChar = fc.constantFrom(...'0123456789abcdefABCDEF')
const certificate = fc.string({ unit: hexChar, minLength: 32, maxLength: 32 })
const uint32 = fc.nat({ max: 0xffff_ffff })
const signingInfo = fc.uint8Array({ maxLength: 400 })

describe('signInto', () => {
  it('computes the docs/format.md signature, as node:crypto and @noble/hashes do', () => {
    fc.assert(
      fc.property(certificate, uint32, uint32, signingInfo, (cert, issueTs, salt, info) => {
        const expected = nodeSignature(cert, issueTs, salt, info)
        expect(nobleSignature(cert, issueTs, salt, info)).toBe(expected)
        expect(ours(cert, issueTs, salt, info)).toBe(expected)
      }),
      { numRuns: RUNS },
    )
  })

  it('handles every signing-info length across the padding boundaries', () => {
    const cert = '5cfd2fd1755d40ecb72977518be15d3b'
    for (let n = 0; n <= 200; n++) {
      const info = randomBytes(n)
      expect(ours(cert, 1_700_000_000, n + 1, info), `length ${n}`).toBe(
        nodeSignature(cert, 1_700_000_000, n + 1, info),
      )
    }
  })

  it('signs with certificates of any length (the ASCII text is the HMAC message)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: hexChar, maxLength: 150 }),
        uint32,
        uint32,
        signingInfo,
        (cert, issueTs, salt, info) => {
          expect(ours(cert, issueTs, salt, info)).toBe(nodeSignature(cert, issueTs, salt, info))
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('writes exactly 32 bytes at the offset and leaves the rest of the buffer alone', () => {
    const out = new Uint8Array(40).fill(0xee)
    const info = randomBytes(90)
    signInto('5cfd2fd1755d40ecb72977518be15d3b', 7, 9, info, out, 5)
    expect(Buffer.from(out.subarray(5, 37)).toString('hex')).toBe(
      nodeSignature('5cfd2fd1755d40ecb72977518be15d3b', 7, 9, info),
    )
    expect([...out.subarray(0, 5), ...out.subarray(37)]).toEqual(Array(8).fill(0xee))
  })

  it('signs correctly when the signing info is a view into the output buffer (as buildToken does)', () => {
    const content = new Uint8Array(34 + 100)
    content.set(randomBytes(100), 34)
    const info = content.subarray(34)
    const expected = nodeSignature('5cfd2fd1755d40ecb72977518be15d3b', 11, 12, info)
    signInto('5cfd2fd1755d40ecb72977518be15d3b', 11, 12, info, content, 2)
    expect(Buffer.from(content.subarray(2, 34)).toString('hex')).toBe(expected)
  })
})

describe('the k1 cache (per certificate and issueTs)', () => {
  it('never returns a stale key over random sequences of repeated and changing inputs', () => {
    // Few distinct values, so sequences repeat (cache hits) and change (misses) all the time.
    const certs = [
      '5cfd2fd1755d40ecb72977518be15d3b',
      '5CFD2FD1755D40ECB72977518BE15D3B',
      '0'.repeat(32),
    ]
    const call = fc.record({
      cert: fc.constantFrom(...certs),
      issueTs: fc.constantFrom(0, 1, 1_700_000_000, 1_700_000_001, 0xffff_ffff),
      salt: fc.constantFrom(1, 2, 99_999_999),
      info: fc.constantFrom(new Uint8Array(0), Uint8Array.of(1, 2, 3), new Uint8Array(100).fill(9)),
      verifying: fc.boolean(),
    })
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 40 }), (calls) => {
        // Builds (signInto) fill the cache; verifications (signatureMatches) read it.
        for (const { cert, issueTs, salt, info, verifying } of calls) {
          const expected = nodeSignature(cert, issueTs, salt, info)
          if (verifying)
            expect(signatureMatches(cert, issueTs, salt, info, Buffer.from(expected, 'hex'))).toBe(
              true,
            )
          else expect(ours(cert, issueTs, salt, info)).toBe(expected)
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('distinguishes certificates that differ only in letter case', () => {
    const info = randomBytes(60)
    const lower = ours('abcdef0123456789abcdef0123456789', 100, 5, info)
    const upper = ours('ABCDEF0123456789ABCDEF0123456789', 100, 5, info)
    expect(lower).not.toBe(upper)
    expect(upper).toBe(nodeSignature('ABCDEF0123456789ABCDEF0123456789', 100, 5, info))
    expect(ours('abcdef0123456789abcdef0123456789', 100, 5, info)).toBe(lower)
  })

  it('stays correct after more certificates than it holds, and for the first one again', () => {
    const info = randomBytes(80)
    const certs = Array.from({ length: 600 }, () => randomBytes(16).toString('hex'))
    for (const round of [0, 1]) {
      for (const [i, cert] of certs.entries()) {
        const issueTs = 1_700_000_000 + (round === 0 ? 0 : i % 3)
        expect(ours(cert, issueTs, i + 1, info)).toBe(nodeSignature(cert, issueTs, i + 1, info))
      }
    }
  })
})

describe('signatureMatches', () => {
  const cert = '5cfd2fd1755d40ecb72977518be15d3b'

  it('accepts the signature and rejects every single-bit change, other lengths and other inputs', () => {
    const info = randomBytes(120)
    const signature = Buffer.from(nodeSignature(cert, 1_700_000_000, 4242, info), 'hex')
    expect(signatureMatches(cert, 1_700_000_000, 4242, info, signature)).toBe(true)
    for (let bit = 0; bit < 256; bit++) {
      const flipped = Uint8Array.from(signature)
      flipped[bit >> 3] ^= 1 << (bit & 7)
      expect(signatureMatches(cert, 1_700_000_000, 4242, info, flipped), `bit ${bit}`).toBe(false)
    }
    expect(signatureMatches(cert, 1_700_000_000, 4242, info, signature.subarray(0, 31))).toBe(false)
    expect(
      signatureMatches(cert, 1_700_000_000, 4242, info, Buffer.concat([signature, Buffer.of(0)])),
    ).toBe(false)
    expect(signatureMatches(cert, 1_700_000_001, 4242, info, signature)).toBe(false)
    expect(signatureMatches(cert, 1_700_000_000, 4243, info, signature)).toBe(false)
    expect(signatureMatches(cert.toUpperCase(), 1_700_000_000, 4242, info, signature)).toBe(false)
    expect(signatureMatches(cert, 1_700_000_000, 4242, info.subarray(1), signature)).toBe(false)
  })

  it('agrees with node:crypto on random inputs', () => {
    fc.assert(
      fc.property(certificate, uint32, uint32, signingInfo, (c, issueTs, salt, info) => {
        const signature = Buffer.from(nodeSignature(c, issueTs, salt, info), 'hex')
        expect(signatureMatches(c, issueTs, salt, info, signature)).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })
})

describe('the runtime HMAC path (node:crypto above a size) against the pure one', () => {
  const cert = '5cfd2fd1755d40ecb72977518be15d3b'
  /** Runs `fn` with the runtime's HMAC used from `bytes` of signing info on. */
  function withNativeFrom<T>(bytes: number, fn: () => T): T {
    const previous = setNativeHmacMinBytes(bytes)
    try {
      return fn()
    } finally {
      setNativeHmacMinBytes(previous)
    }
  }

  it('is found in Node through process.getBuiltinModule', () => {
    expect(nativeCrypto()).not.toBeNull()
  })

  it('signs and verifies exactly as the pure path, at every length and offset', () => {
    const sizes = [0, 1, 55, 56, 63, 64, 65, 1023, 1024, 1025, 4096, 8191, 65_536, 131_072]
    for (const n of [
      ...sizes,
      ...Array.from({ length: 200 }, () => Math.floor(Math.random() * 9000)),
    ]) {
      const content = randomBytes(34 + n)
      const issueTs = 1_700_000_000 + (n % 7)
      const salt = 1 + n
      const expected = nodeSignature(cert, issueTs, salt, content.subarray(34))
      const sign = () => {
        const out = Uint8Array.from(content)
        signInto(cert, issueTs, salt, out, out, 2, 34)
        return Buffer.from(out.subarray(2, 34)).toString('hex')
      }
      expect(withNativeFrom(0, sign), `native, ${n} bytes`).toBe(expected)
      expect(withNativeFrom(Number.POSITIVE_INFINITY, sign), `pure, ${n} bytes`).toBe(expected)
      const signature = Buffer.from(expected, 'hex')
      const wrong = Uint8Array.from(signature)
      wrong[n % 32] ^= 1 << (n % 8)
      for (const from of [0, Number.POSITIVE_INFINITY]) {
        withNativeFrom(from, () => {
          const info = content.subarray(34)
          expect(signatureMatches(cert, issueTs, salt, info, signature)).toBe(true)
          expect(signatureMatches(cert, issueTs, salt, info, wrong)).toBe(false)
          expect(signatureMatches(cert, issueTs, salt + 1, info, signature)).toBe(false)
        })
      }
    }
  })

  it('keeps the k1 cache and the pure HMAC state intact between native calls', () => {
    const small = randomBytes(40)
    const large = randomBytes(5000)
    withNativeFrom(1024, () => {
      for (let i = 0; i < 50; i++) {
        const info = i % 3 === 0 ? large : small
        const issueTs = 1_700_000_000 + (i % 2)
        expect(ours(cert, issueTs, i, info)).toBe(nodeSignature(cert, issueTs, i, info))
        expect(Buffer.from(hmacSha256(small, info)).toString('hex')).toBe(
          createHmac('sha256', small).update(info).digest('hex'),
        )
      }
    })
  })
})

describe('hmacSha256', () => {
  it('interleaves with AccessToken2 signing without either disturbing the other', () => {
    // Both share the prepared key blocks: a 16-word key, then 1- and 8-word keys, and back.
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }),
        certificate,
        uint32,
        uint32,
        signingInfo,
        (k, cert, issueTs, salt, info) => {
          expect(Buffer.from(hmacSha256(k, info)).toString('hex')).toBe(
            createHmac('sha256', k).update(info).digest('hex'),
          )
          expect(ours(cert, issueTs, salt, info)).toBe(nodeSignature(cert, issueTs, salt, info))
          expect(Buffer.from(hmacSha256(k, info)).toString('hex')).toBe(
            createHmac('sha256', k).update(info).digest('hex'),
          )
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('matches node:crypto for keys of 0 to 200 bytes (longer than a block: hashed first)', () => {
    for (let n = 0; n <= 200; n++) {
      const key = randomBytes(n)
      const message = randomBytes(n * 3)
      expect(Buffer.from(hmacSha256(key, message)).toString('hex'), `key length ${n}`).toBe(
        createHmac('sha256', key).update(message).digest('hex'),
      )
    }
  })

  it('matches @noble/hashes on random keys and messages', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 150 }),
        fc.uint8Array({ maxLength: 400 }),
        (key, message) => {
          expect(hmacSha256(key, message)).toEqual(hmac(sha256, key, message))
        },
      ),
      { numRuns: RUNS },
    )
  })
})
