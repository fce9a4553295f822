// Small helpers shared by the checks: the Agora client error codes and one finding constructor.
import type { Finding, FindingCode, FindingSeverity } from './types.js'

/** Error codes the Agora client SDKs report (docs.agora.io, "token-related error codes"). */
export const AGORA = {
  invalidAppId: 101,
  tokenExpired: 109,
  invalidToken: 110,
} as const

/** 2000-01-01T00:00:00Z in Unix seconds: a lifetime this large was meant as an absolute time. */
export const ABSOLUTE_FROM = 946_684_800

/** The longest lifetime Agora honours. */
export const DAY_SECONDS = 86_400

/** A token or privilege with less than this left "expires soon". */
export const SOON_SECONDS = 300

/** Clock skew tolerated before an issue time counts as "in the future". */
export const SKEW_SECONDS = 60

/** Builds a finding; `fix` and `agoraError` are left out when not given. */
export function finding(
  code: FindingCode,
  severity: FindingSeverity,
  message: string,
  fix?: string,
  agoraError?: number,
): Finding {
  const f: Finding = { code, severity, message }
  if (fix !== undefined) f.fix = fix
  if (agoraError !== undefined) f.agoraError = agoraError
  return f
}

/** An ISO 8601 time (whole seconds) for Unix seconds. */
export function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
}

/** A span of seconds in at most two units: `1h 30m`, `45s`, `3d 2h`. */
export function span(seconds: number): string {
  let rest = Math.round(Math.abs(seconds))
  const parts: string[] = []
  for (const [suffix, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const amount = Math.floor(rest / size)
    rest -= amount * size
    if (amount > 0 || (parts.length > 0 && parts.length < 2)) parts.push(`${amount}${suffix}`)
    if (parts.length === 2) break
  }
  const shown = parts.filter((p, i) => i === 0 || !p.startsWith('0'))
  return shown.length === 0 ? '0s' : shown.join(' ')
}

/** Where `seconds` (Unix) lies relative to `atMs`: `in 1h`, `3d 2h ago`, `just now`. */
export function relative(seconds: number, atMs: number): string {
  const delta = Math.round(seconds - atMs / 1000)
  if (delta === 0) return 'just now'
  return delta > 0 ? `in ${span(delta)}` : `${span(delta)} ago`
}
