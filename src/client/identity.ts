// What a renewed token must keep: the app and, per service, who and where it is for. A renewed
// token for another channel or uid makes the SDK's renewToken fail with Agora error 110.
import type { DecodedService, DecodedToken, TokenClaim } from '../index.js'
import { TokenRenewalMismatch } from './errors.js'

const FIELDS = ['channelName', 'uid', 'userId', 'account', 'roomUuid', 'userUuid'] as const

function byType(services: DecodedService[]): DecodedService[] {
  return [...services].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))
}

function mismatch(claim: TokenClaim, current: string, renewed: string): TokenRenewalMismatch {
  return new TokenRenewalMismatch(
    `the renewed token is for ${claim} ${renewed}, not ${current}; the current token is kept (another identity fails with Agora error 110)`,
    claim,
  )
}

/**
 * The first difference in identity between the current and a renewed token, as an error, or
 * undefined when the renewed token may replace the current one. Privileges and times may change.
 */
export function identityMismatch(
  current: DecodedToken,
  renewed: DecodedToken,
): TokenRenewalMismatch | undefined {
  if (current.appId.toLowerCase() !== renewed.appId.toLowerCase())
    return mismatch('appId', current.appId, renewed.appId)
  if (current.version === '006' || renewed.version === '006') {
    if (current.version !== '006' || renewed.version !== '006') return undefined
    // A 006 token carries only CRC-32s of its channel name and uid.
    const crc = (n: number) => `with CRC-32 ${n}`
    if (current.crcChannelName !== renewed.crcChannelName)
      return mismatch('channelName', crc(current.crcChannelName), crc(renewed.crcChannelName))
    if (current.crcUid !== renewed.crcUid)
      return mismatch('uid', crc(current.crcUid), crc(renewed.crcUid))
    return undefined
  }
  const a = byType(current.services)
  const b = byType(renewed.services)
  const types = (list: DecodedService[]) => list.map((s) => s.type).join('+') || '(none)'
  if (types(a) !== types(b)) return mismatch('service', types(a), types(b))
  for (let i = 0; i < a.length; i++) {
    const was = a[i] as unknown as Record<string, unknown>
    const now = b[i] as unknown as Record<string, unknown>
    for (const field of FIELDS) {
      if (was[field] !== now[field])
        return mismatch(field, JSON.stringify(was[field]), JSON.stringify(now[field]))
    }
  }
  return undefined
}
