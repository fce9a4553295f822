// An independent 006 packer (docs/format.md, "Legacy AccessToken") for the 006 parse and verify
// tests: well-formed tokens and tokens broken in one chosen way.
import { createHmac } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { expect } from 'vitest'
import { TokenError } from '../../../src/index.js'

export const APP_ID = '970ca35de60c44645bbae8a215061b33'
export const CERT = '5cfd2fd1755d40ecb72977518be15d3b'
export const CHANNEL = 'room-1'
export const UID = '42'
export const TS = 1_800_000_000

// An independent packer (docs/format.md, "Legacy AccessToken") to make well-formed and broken tokens.
export function u16(n: number) {
  const b = Buffer.alloc(2)
  b.writeUInt16LE(n)
  return b
}
export function u32(n: number) {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(n)
  return b
}
export const str = (b: Buffer) => Buffer.concat([u16(b.length), b])

export interface Parts {
  appId?: string
  certificate?: string
  channel?: string
  uid?: string
  salt?: number
  ts?: number
  privileges?: Array<[number, number]>
  /** Replaces m (then the signature is still over the given m). */
  m?: Buffer
  signature?: Buffer
  crcChannel?: number
  crcUid?: number
  trailing?: Buffer
}

export function content(p: Parts = {}): Buffer {
  const appId = p.appId ?? APP_ID
  const channel = p.channel ?? CHANNEL
  const uid = p.uid ?? UID
  const privileges = p.privileges ?? [[1, TS - 3600]]
  const m =
    p.m ??
    Buffer.concat([
      u32(p.salt ?? 1234),
      u32(p.ts ?? TS),
      u16(privileges.length),
      ...privileges.flatMap(([id, t]) => [u16(id), u32(t)]),
    ])
  const signature =
    p.signature ??
    createHmac('sha256', p.certificate ?? CERT)
      .update(Buffer.concat([Buffer.from(appId + channel + uid, 'utf8'), m]))
      .digest()
  return Buffer.concat([
    str(signature),
    u32(p.crcChannel ?? crc32(channel)),
    u32(p.crcUid ?? crc32(uid)),
    str(m),
    p.trailing ?? Buffer.alloc(0),
  ])
}

export const token = (p: Parts = {}) => '006' + (p.appId ?? APP_ID) + content(p).toString('base64')
export const valid = token()
export const at = new Date((TS - 7200) * 1000)
export const options = { channelName: CHANNEL, uid: UID, currentDate: at }

/** The TokenError fn throws; fails the test when it throws nothing or something else. */
export function errorOf(f: () => unknown): TokenError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(TokenError)
    return e as TokenError
  }
  throw new Error('expected a TokenError, nothing was thrown')
}
