// When a fetched token stops working and when to renew it, on the local clock. The token says
// when it was issued and for how long (FORMAT.md: expire and privilege values are seconds after
// issueTs); the local clock may disagree with the token server's, so the two are reconciled here.
import { type DecodedToken, TokenExpired } from '../index.js'
import type { RefreshBefore } from './options.js'

/** Where a token sits on the local clock. */
export interface Placement {
  /** Local time (ms) from which the token no longer works. */
  endMs: number
  /** Local time (ms) at which to start renewing it. */
  refreshAtMs: number
  /** Server clock minus local clock (ms) when the two are far apart; otherwise undefined. */
  skewMs?: number
}

/** The default refreshBefore: the smaller of 20% of the lifetime and 60 s. */
const DEFAULT_FRACTION = 0.2
const DEFAULT_CAP_MS = 60_000
/** A skew up to this is ordinary (NTP error, a slow request) and timed by the server's clock. */
const SKEW_TOLERANCE_MS = 10_000
/** issueTs is whole seconds, floored: a token may look up to this much older than it is. */
const ISSUE_ROUNDING_MS = 1000

/**
 * The token's issue time and its end in ms on the server's clock: the end is the earliest of the
 * token's expiry and each privilege's (a privilege of 0 lasts as long as the token).
 * A 006 token carries absolute times and no issue time.
 */
export function tokenTimes(decoded: DecodedToken): { issuedMs?: number; endMs: number } {
  if (decoded.version === '007') {
    let end = decoded.expire
    for (const service of decoded.services) {
      for (const seconds of Object.values(service.privileges) as number[]) {
        if (seconds > 0 && seconds < end) end = seconds
      }
    }
    return { issuedMs: decoded.issueTs * 1000, endMs: (decoded.issueTs + end) * 1000 }
  }
  let end = decoded.ts
  for (const at of Object.values(decoded.privileges) as number[]) {
    if (at > 0 && at < end) end = at
  }
  return { endMs: end * 1000 }
}

/**
 * Places a token fetched between `startedAt` and `receivedAt` (local ms) on the local clock.
 *
 * With clocks in agreement the token ends at its own end time, but never later than its lifetime
 * after it arrived. When the token's issue time lies outside the request's time window (allowing
 * for the floored issueTs) by more than the tolerance, the local clock cannot be compared with
 * the token's times: the token is taken to have been issued when the request started.
 *
 * @throws {TokenExpired} when the token has no time left
 */
export function placeToken(
  decoded: DecodedToken,
  startedAt: number,
  receivedAt: number,
  before: RefreshBefore,
): Placement {
  const times = tokenTimes(decoded)
  let endMs = times.endMs
  let lifetimeMs = endMs - receivedAt
  let skewMs: number | undefined
  if (times.issuedMs !== undefined) {
    lifetimeMs = times.endMs - times.issuedMs
    const ahead = times.issuedMs - receivedAt
    const behind = startedAt - (times.issuedMs + ISSUE_ROUNDING_MS)
    const skew = ahead > 0 ? ahead : behind > 0 ? -behind : 0
    if (Math.abs(skew) > Math.min(SKEW_TOLERANCE_MS, lifetimeMs / 4)) {
      skewMs = skew
      endMs = startedAt + lifetimeMs
    } else {
      endMs = Math.min(endMs, receivedAt + lifetimeMs)
    }
  }
  const remaining = endMs - receivedAt
  if (lifetimeMs <= 0 || remaining <= 0) {
    throw new TokenExpired(
      lifetimeMs <= 0
        ? 'fetchToken() returned a token whose lifetime is zero'
        : `fetchToken() returned a token that had already expired (at ${new Date(times.endMs).toISOString()})`,
      decoded,
    )
  }
  const beforeMs =
    before.kind === 'fraction'
      ? lifetimeMs * before.fraction
      : before.kind === 'duration'
        ? before.ms
        : Math.min(lifetimeMs * DEFAULT_FRACTION, DEFAULT_CAP_MS)
  // A token is used for at least half of its remaining time, so that a refreshBefore as long as
  // the lifetime (or a server handing out old tokens) cannot turn renewal into a busy loop.
  const refreshAtMs = receivedAt + Math.max(remaining - beforeMs, remaining / 2)
  const placement: Placement = { endMs, refreshAtMs }
  if (skewMs !== undefined) placement.skewMs = skewMs
  return placement
}
