/**
 * `diagnoseToken`: why a token would be rejected, as findings that say what to change in the
 * code that built it.
 *
 * @module
 */
import { decodeToken } from '../decode.js'
import { TokenError } from '../errors.js'
import { suggest007Call } from '../legacy/migrate.js'
import type { DecodedToken } from '../types.js'
import { quote, safeMessage } from './escape.js'
import { checkExpected, type Expectations } from './expected.js'
import { AGORA, finding } from './finding.js'
import { lifetimeFindings006, lifetimeFindings007 } from './lifetime.js'
import { signatureFindings } from './signature.js'
import { subjectFindings007 } from './subject.js'
import { subjectFindings006 } from './subject006.js'
import type { DiagnoseExpected, DiagnoseResult, Finding } from './types.js'

export type {
  DiagnoseExpected,
  DiagnoseResult,
  Finding,
  FindingCode,
  FindingSeverity,
} from './types.js'

const ORDER = { error: 0, warning: 1, info: 2 } as const

/**
 * Diagnoses a token: decodes it (007 or legacy 006), checks its signature when a certificate is
 * given, and compares its app id, lifetime, services, channel, user and role with what the app
 * expects. Each problem is a {@link Finding} with a stable code, a message that says what to
 * change in the code that built the token, and the Agora client error it causes where there is
 * one. `ok` is false if and only if a finding is an error. An unreadable token is a `MALFORMED`
 * finding, not an exception.
 *
 * @example
 * ```ts
 * const { ok, findings } = diagnoseToken(token, {
 *   appId, appCertificate, service: 'rtc', channelName: 'room-1', uid: 42, role: 'publisher',
 * })
 * for (const f of findings) console.log(f.severity, f.code, f.message)
 * ```
 * @throws {InvalidArgument} when `expected` is malformed (a certificate that is not 32
 *   hexadecimal characters, an unknown service, an invalid Date); never for the token itself
 */
export function diagnoseToken(token: string, expected?: DiagnoseExpected): DiagnoseResult {
  const e = checkExpected(expected, Date.now())
  let decoded: DecodedToken
  try {
    decoded = decodeToken(token)
  } catch (err) {
    if (!(err instanceof TokenError)) throw err
    return result(undefined, [malformed(token, err)])
  }
  return result(decoded, [
    ...appIdFindings(decoded, e),
    ...signatureFindings(token, decoded, e),
    ...(decoded.version === '007'
      ? [...lifetimeFindings007(decoded, e.atMs), ...subjectFindings007(decoded, e)]
      : [
          legacyFinding(decoded),
          ...lifetimeFindings006(decoded, e.atMs),
          ...subjectFindings006(decoded, e),
        ]),
    ...unknownService(decoded),
  ])
}

function result(token: DecodedToken | undefined, findings: Finding[]): DiagnoseResult {
  const sorted = findings
    .map((f, i) => [f, i] as const)
    .sort(([a, i], [b, j]) => ORDER[a.severity] - ORDER[b.severity] || i - j)
    .map(([f]) => f)
  const out: DiagnoseResult = { ok: !sorted.some((f) => f.severity === 'error'), findings: sorted }
  if (token !== undefined) out.token = token
  return out
}

function malformed(token: unknown, err: TokenError): Finding {
  return finding(
    'MALFORMED',
    'error',
    `the text is not a token that can be read: ${safeMessage(err.message)}.${typeof token === 'string' ? hint(token) : ''}`,
    'pass the token string exactly as the builder returned it (007… or 006…), without quotes, spaces or URL encoding',
    AGORA.invalidToken,
  )
}

/** The usual ways a token gets damaged on its way to the app. */
function hint(token: string): string {
  const trimmed = token.trim()
  if (trimmed !== token && /^00[67]/.test(trimmed)) {
    return ' It has spaces or line breaks around it: trim the token'
  }
  if (/^["'`]/.test(trimmed))
    return ' It starts with a quote: pass the string, not its JSON or source form'
  if (/^bearer\s/i.test(trimmed)) return ' It starts with "Bearer": pass the token alone'
  if (/\s/.test(trimmed))
    return ' It has spaces or line breaks inside: it was wrapped or split; join the pieces'
  if (/%[0-9A-Fa-f]{2}/.test(trimmed)) {
    return ' It contains URL escapes (%2B, %2F, %3D): decode it once (decodeURIComponent) before use'
  }
  if (/[-_]/.test(trimmed) && /^00[67]/.test(trimmed)) {
    return " It contains '-' or '_': it was re-encoded as base64url; pass the token unchanged"
  }
  if (/^00[0-5]/.test(trimmed)) {
    return ' It is an older dynamic key (before 006): build an AccessToken2 (007) instead'
  }
  return ''
}

function appIdFindings(t: DecodedToken, e: Expectations): Finding[] {
  const shown = /^[0-9a-fA-F]{32}$/.test(t.appId) ? t.appId : quote(t.appId)
  if (!/^[0-9a-fA-F]{32}$/.test(t.appId)) {
    return [
      finding(
        'APP_ID_MISMATCH',
        'error',
        `the token's app id ${shown} is not 32 hexadecimal characters: build the token with the app id from the Agora console`,
        'pass the App ID string from the Agora console to the builder',
        AGORA.invalidAppId,
      ),
    ]
  }
  if (e.appId === undefined || e.appId.toLowerCase() === t.appId.toLowerCase()) return []
  return [
    finding(
      'APP_ID_MISMATCH',
      'error',
      `the token is for app ${t.appId}, the app uses ${e.appId}: build the token with the app id (and its ` +
        'certificate) that the client is initialized with',
      "use the same App ID (and that project's certificate) on the token server and in the client",
      AGORA.invalidAppId,
    ),
  ]
}

function legacyFinding(t: DecodedToken & { version: '006' }): Finding {
  return finding(
    'LEGACY_006',
    'warning',
    'this is a legacy AccessToken (006). Agora still accepts it, but it carries only CRC-32s of the channel and ' +
      'uid and absolute expiry times; build an AccessToken2 (007) with the current builders instead',
    suggest007Call(t),
  )
}

function unknownService(t: DecodedToken): Finding[] {
  if (t.version !== '007' || t.unknownServiceType === undefined) return []
  return [
    finding(
      'UNKNOWN_SERVICE',
      'info',
      `the token has a service of type ${t.unknownServiceType}, unknown to this library: it and the services after it are not checked`,
    ),
  ]
}
