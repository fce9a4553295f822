// tokenId: one id per token, whatever its encoding; different tokens, different ids. Checked
// against an independent computation with node:crypto.
import { createHash } from 'node:crypto'
import { deflateSync, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  buildToken006,
  decodeToken,
  rtcToken,
  tokenId,
  TokenError,
  verifyToken,
} from '../src/index.js'

const appId = '970ca35de60c44645bbae8a215061b33'
const cert = '5cfd2fd1755d40ecb72977518be15d3b'
const source = (salt: number) => ({ now: () => 1_800_000_000_000, salt: () => salt })
const token = (salt: number) =>
  rtcToken({
    appId,
    appCertificate: cert,
    channelName: 'room-1',
    uid: 42,
    role: 'publisher',
    source: source(salt),
  })

function independentId(version: string, signature: Uint8Array): string {
  const digest = createHash('sha256')
    .update(Buffer.from(`token007/id\u0000${version}`, 'latin1'))
    .update(signature)
    .digest()
  return digest.subarray(0, 16).toString('base64url')
}

describe('tokenId', () => {
  it('is the base64url of the first 16 bytes of SHA-256("token007/id\\0" + version + signature)', () => {
    const t = token(1)
    const decoded = decodeToken(t)
    expect(tokenId(t)).toBe(independentId('007', decoded.signature))
    expect(tokenId(decoded)).toBe(tokenId(t))
    expect(tokenId(t)).toMatch(/^[A-Za-z0-9_-]{22}$/)
    // The id does not carry the signature.
    expect(tokenId(t)).not.toContain(
      Buffer.from(decoded.signature).toString('base64url').slice(0, 8),
    )
  })

  it('is shared by re-encodings of one 007 token (the same payload compressed differently)', () => {
    const t = token(2)
    const payload = inflateSync(Buffer.from(t.slice(3), 'base64'))
    for (const level of [0, 1, 9]) {
      const reencoded = `007${deflateSync(payload, { level }).toString('base64')}`
      if (level === 0) expect(reencoded).not.toBe(t)
      // Still the same, valid token...
      expect(verifyToken(reencoded, cert, { currentDate: new Date(1_800_000_000_000) }).appId).toBe(
        appId,
      )
      // ...with the same id.
      expect(tokenId(reencoded)).toBe(tokenId(t))
    }
  })

  it('differs between tokens that differ in anything (salt, uid)', () => {
    const ids = new Set([token(3), token(4), token(5)].map((t) => tokenId(t)))
    expect(ids.size).toBe(3)
  })

  it('works for 006 tokens, from their signature', () => {
    const t = buildToken006({
      appId,
      appCertificate: cert,
      channelName: 'room-1',
      uid: 42,
      salt: 7,
      ts: 1_800_086_400,
      privileges: { joinChannel: 1_800_003_600 },
    })
    const decoded = decodeToken(t)
    expect(decoded.version).toBe('006')
    expect(tokenId(t)).toBe(independentId('006', decoded.signature))
    expect(tokenId(t)).not.toBe(tokenId(token(7)))
  })

  it('refuses what is not a token with a typed error', () => {
    for (const bad of ['', '007', '005abc', `007${'A'.repeat(40)}`]) {
      expect(() => tokenId(bad)).toThrow(TokenError)
    }
    expect(() => tokenId(42 as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    )
    expect(() => tokenId({ version: '007', signature: new Uint8Array(3) } as never)).toThrow(
      /32 bytes/,
    )
  })
})
