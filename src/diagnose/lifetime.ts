// Findings about time: the token's lifetime and each privilege's, judged at the reference time.
import type { DecodedService, DecodedToken006, DecodedToken007 } from '../types.js'
import {
  ABSOLUTE_FROM,
  AGORA,
  DAY_SECONDS,
  finding,
  iso,
  relative,
  SKEW_SECONDS,
  SOON_SECONDS,
  span,
} from './finding.js'
import type { Finding } from './types.js'

const RENEW =
  'build a new token and hand it to the app (renewToken when the SDK warns that it will expire)'

/** Lifetime findings of an AccessToken2. */
export function lifetimeFindings007(t: DecodedToken007, atMs: number): Finding[] {
  const out: Finding[] = []
  const at = atMs / 1000
  const end = t.issueTs + t.expire
  if (t.issueTs > at + SKEW_SECONDS) {
    out.push(
      finding(
        'ISSUED_IN_FUTURE',
        'warning',
        `the token was issued at ${iso(t.issueTs)}, ${span(t.issueTs - at)} after the time it is judged at: ` +
          'the clock of the server that built it runs ahead (or the builder was given a wrong "now")',
        "sync the token server's clock (NTP); if you pin the time with a TokenSource, return Date.now() in milliseconds",
      ),
    )
  }
  const absolute = t.expire >= ABSOLUTE_FROM
  if (absolute) {
    out.push(
      finding(
        'EXPIRE_LOOKS_ABSOLUTE',
        'error',
        `expire is ${t.expire}, which is the Unix time ${iso(t.expire)}: a 007 token's expire counts seconds ` +
          `after its issue time, so this one lasts until ${iso(end)}. Pass a lifetime in seconds, not a timestamp`,
        'RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, channelName, uid, role, 3600, 3600) // seconds from now, not now + 3600',
      ),
    )
  } else if (t.expire > DAY_SECONDS) {
    out.push(
      finding(
        'LIFETIME_OVER_24H',
        'warning',
        `the token's lifetime is ${t.expire} s (${span(t.expire)}); Agora limits a token to 24 hours, ` +
          'so the app loses access sooner than this says. Use at most 86400 and renew the token before it expires',
        'pass a lifetime of at most 86400 (24h) and renew the token from the app',
      ),
    )
  }
  const expired = atMs >= end * 1000
  if (expired) {
    const zero =
      t.expire === 0
        ? ' (its expire is 0: it was expired when issued; pass a lifetime such as 3600)'
        : ''
    out.push(
      finding(
        'EXPIRED',
        'error',
        `the token expired at ${iso(end)} (${relative(end, atMs)})${zero}: ${RENEW}`,
        'build tokens on demand with a lifetime that covers the session, e.g. 3600 seconds',
        AGORA.tokenExpired,
      ),
    )
  } else if (end - at <= SOON_SECONDS) {
    out.push(
      finding(
        'EXPIRES_SOON',
        'warning',
        `the token expires at ${iso(end)} (${relative(end, atMs)}): ${RENEW}`,
        'renew the token when the SDK fires onTokenPrivilegeWillExpire (token-privilege-will-expire on the web)',
      ),
    )
  }
  t.services.forEach((service, i) => {
    out.push(...privilegeFindings(t, service, i, atMs, expired))
  })
  return out
}

function serviceLabel(service: DecodedService, index: number): string {
  return `service ${index + 1} (${service.type})`
}

function names(keys: string[]): string {
  return keys.join(', ')
}

function privilegeFindings(
  t: DecodedToken007,
  service: DecodedService,
  index: number,
  atMs: number,
  tokenExpired: boolean,
): Finding[] {
  const out: Finding[] = []
  const label = serviceLabel(service, index)
  const entries = Object.entries(service.privileges as Record<string, number>)
  if (entries.length === 0 && service.type !== 'convoai' && service.type !== 'stt') {
    out.push(
      finding(
        'NO_PRIVILEGES',
        'warning',
        `${label} grants no privilege: the token lets the app do nothing with it`,
        'build it with the builder of that service, which adds its privileges (e.g. joinChannel for RTC, login for RTM)',
        AGORA.invalidToken,
      ),
    )
  }
  const zero: string[] = []
  const absolute: string[] = []
  const expired: string[] = []
  const soon: string[] = []
  const long: string[] = []
  let lastExpired = 0
  let firstSoon = Number.POSITIVE_INFINITY
  for (const [key, value] of entries) {
    if (value === 0) zero.push(key)
    else if (value >= ABSOLUTE_FROM) absolute.push(`${key} (${value} = ${iso(value)})`)
    else {
      const end = t.issueTs + value
      if (value > DAY_SECONDS && t.expire <= DAY_SECONDS) long.push(key)
      if (tokenExpired || value >= t.expire) continue
      if (atMs >= end * 1000) {
        expired.push(key)
        lastExpired = Math.max(lastExpired, end)
      } else if (end - atMs / 1000 <= SOON_SECONDS) {
        soon.push(key)
        firstSoon = Math.min(firstSoon, end)
      }
    }
  }
  if (absolute.length > 0) {
    out.push(
      finding(
        'PRIVILEGE_LOOKS_ABSOLUTE',
        'error',
        `${label}: privilege ${names(absolute)} holds a Unix time; a 007 privilege counts seconds after the token's issue time. ` +
          'Pass the privilege lifetime in seconds (e.g. 3600), not now + seconds',
        'RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, channelName, uid, role, 3600, 3600)',
      ),
    )
  }
  if (expired.length > 0) {
    out.push(
      finding(
        'PRIVILEGE_EXPIRED',
        'error',
        `${label}: privilege ${names(expired)} expired at ${iso(lastExpired)} (${relative(lastExpired, atMs)}) although the token is still valid: ` +
          'give the privileges the same lifetime as the token (privilegeExpire = tokenExpire), or renew the token sooner',
        'RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, channelName, uid, role, 3600, 3600) // tokenExpire, privilegeExpire',
        AGORA.tokenExpired,
      ),
    )
  }
  if (soon.length > 0) {
    out.push(
      finding(
        'EXPIRES_SOON',
        'warning',
        `${label}: privilege ${names(soon)} expires at ${iso(firstSoon)} (${relative(firstSoon, atMs)}), before the token does`,
        'give the privileges the same lifetime as the token, or renew the token before they expire',
      ),
    )
  }
  if (long.length > 0) {
    out.push(
      finding(
        'LIFETIME_OVER_24H',
        'warning',
        `${label}: privilege ${names(long)} lasts more than 24 hours, longer than the token itself (${span(t.expire)})`,
        'give the privileges the same lifetime as the token',
      ),
    )
  }
  if (zero.length > 0) {
    out.push(
      finding(
        'ZERO_PRIVILEGE',
        'warning',
        `${label}: privilege ${names(zero)} is 0. Checkers read 0 differently (as long as the token, or expired when ` +
          "issued): write the lifetime you mean, usually the token's own (privilegeExpire = tokenExpire)",
        'RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, channelName, uid, role, 3600, 3600) // not …, 3600, 0',
      ),
    )
  }
  return out
}

/** Lifetime findings of a legacy 006 token: `ts` and privilege times are absolute there. */
export function lifetimeFindings006(t: DecodedToken006, atMs: number): Finding[] {
  const out: Finding[] = []
  const at = atMs / 1000
  const expired = atMs >= t.ts * 1000
  if (expired) {
    out.push(
      finding(
        'EXPIRED',
        'error',
        `the token expired at ${iso(t.ts)} (${relative(t.ts, atMs)}; a 006 token's message ts ends it): ${RENEW}`,
        'build a new token (preferably a 007 one; see LEGACY_006)',
        AGORA.tokenExpired,
      ),
    )
  } else if (t.ts - at <= SOON_SECONDS) {
    out.push(
      finding(
        'EXPIRES_SOON',
        'warning',
        `the token expires at ${iso(t.ts)} (${relative(t.ts, atMs)}): ${RENEW}`,
        'renew the token when the SDK fires onTokenPrivilegeWillExpire (token-privilege-will-expire on the web)',
      ),
    )
  }
  if (t.ts > at + DAY_SECONDS + SKEW_SECONDS) {
    out.push(
      finding(
        'ISSUED_IN_FUTURE',
        'warning',
        `the token's message ts ${iso(t.ts)} is more than 24 hours after the time it is judged at; the 006 builders set it ` +
          'to the build time + 24 h, so the clock of the server that built it runs ahead',
        "sync the token server's clock (NTP)",
      ),
    )
  }
  const relativeLooking: string[] = []
  const expiredKeys: string[] = []
  let lastExpired = 0
  for (const [key, time] of Object.entries(t.privileges as Record<string, number>)) {
    if (time === 0) continue
    if (time < ABSOLUTE_FROM) relativeLooking.push(`${key} (${time})`)
    else if (!expired && atMs >= time * 1000) {
      expiredKeys.push(key)
      lastExpired = Math.max(lastExpired, time)
    }
  }
  if (relativeLooking.length > 0) {
    out.push(
      finding(
        'PRIVILEGE_EXPIRED',
        'error',
        `privilege ${names(relativeLooking)} holds a small number: 006 privilege times are absolute Unix seconds, so it expired in 1970. ` +
          'Pass now + lifetime (Math.floor(Date.now() / 1000) + 3600) to the 006 builder, or move to 007 (seconds from now)',
        'legacy.RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, channelName, uid, role, Math.floor(Date.now() / 1000) + 3600)',
        AGORA.tokenExpired,
      ),
    )
  }
  if (expiredKeys.length > 0) {
    out.push(
      finding(
        'PRIVILEGE_EXPIRED',
        'error',
        `privilege ${names(expiredKeys)} expired at ${iso(lastExpired)} (${relative(lastExpired, atMs)}): ${RENEW}`,
        'build a new token with a later privilege expiry',
        AGORA.tokenExpired,
      ),
    )
  }
  return out
}
