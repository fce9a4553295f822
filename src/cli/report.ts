// The readable report of a decoded token (inspect, build --json's companion, the demo) and the
// extra facts `inspect --json` adds to the decoded token.
import {
  legacy,
  SERVICE_TYPES,
  type DecodedService,
  type DecodedToken,
  type DecodedToken006,
  type DecodedToken007,
  type Rtm2PermissionMap,
} from '../index.js'
import { hex, plain } from './json.js'
import type { SignatureCheck } from './signature.js'
import type { Style } from './style.js'
import { sanitized, shown } from './text.js'
import { expiryPhrase, isoSeconds, relative, shownTime, span } from './time.js'

// 2000-01-01 in Unix seconds: a lifetime this long was most likely meant as an absolute time.
const ABSOLUTE_FROM = 946_684_800

const ZERO_NOTE =
  'a privilege of 0 has no limit of its own: verifyToken lets it last as long as the token ' +
  "(its default zeroPrivilege: 'token'; with 'expired' it ended when the token was issued)"

/** How a report is shown besides the token: the local time zone and the clock tolerance. */
export interface ReportView {
  /** IANA zone to show local times in, beside UTC. */
  zone?: string
  /** How far in the future an issue time may lie before it is flagged (default 60 s). */
  toleranceMs?: number
}

const DEFAULT_TOLERANCE_MS = 60_000

/** An app id as shown: bare when it is the usual hex, quoted and escaped otherwise. */
function appIdText(appId: string): string {
  return /^[0-9a-fA-F]{32}$/.test(appId) ? appId : shown(appId)
}

/** Whether a 007 token's issue time lies beyond the tolerance after `nowMs`. */
export function issuedInFuture(issueTs: number, nowMs: number, toleranceMs?: number): boolean {
  return issueTs * 1000 > nowMs + (toleranceMs ?? DEFAULT_TOLERANCE_MS)
}

function row(label: string, value: string, width = 12): string {
  return `  ${label.padEnd(width)} ${value}`
}

/**
 * The report of a decoded token, line by line, with times relative to `nowMs`.
 *
 * @example
 * ```ts
 * reportLines(decodeToken(token), Date.now(), createStyle(false)).join('\n')
 * ```
 */
export function reportLines(
  decoded: DecodedToken,
  nowMs: number,
  style: Style,
  signature?: SignatureCheck,
  view: ReportView = {},
): string[] {
  const checked = signature === undefined ? [] : [signatureRow(signature, style)]
  return decoded.version === '007'
    ? report007(decoded, nowMs, style, checked, view)
    : report006(decoded, nowMs, style, checked, view)
}

function signatureRow(check: SignatureCheck, style: Style): string {
  if (!check.checked) return row('verified', style.yellow(`NOT CHECKED: ${check.reason}`))
  if (!check.valid) {
    const message = sanitized(check.message)
    return row('verified', style.red(`signature INVALID (${check.code}): ${message}`))
  }
  const which =
    check.certificates > 1
      ? `certificate ${check.certificateIndex + 1} of ${check.certificates}`
      : 'the certificate'
  return row('verified', style.green(`signature valid (made with ${which})`))
}

function issuedText(issueTs: number, nowMs: number, style: Style, view: ReportView): string {
  const phrase = relative(issueTs * 1000, nowMs)
  // A token from the future: the issuer's clock (or this one) is wrong.
  return issuedInFuture(issueTs, nowMs, view.toleranceMs)
    ? style.yellow(`${phrase}: IN THE FUTURE, beyond the clock tolerance; check the clocks`)
    : phrase
}

function expiryText(atSeconds: number, nowMs: number, style: Style): string {
  const phrase = expiryPhrase(atSeconds * 1000, nowMs)
  return nowMs < atSeconds * 1000 ? phrase : style.red(phrase)
}

function report007(
  t: DecodedToken007,
  nowMs: number,
  style: Style,
  checked: string[],
  view: ReportView,
): string[] {
  const end = t.issueTs + t.expire
  const time = (seconds: number) => shownTime(seconds, view.zone)
  const lines = [
    style.bold('AccessToken2 (007)'),
    row('app id', appIdText(t.appId)),
    row('issued at', `${time(t.issueTs)}  (${issuedText(t.issueTs, nowMs, style, view)})`),
    row('expires at', `${time(end)}  (${expiryText(end, nowMs, style)})`),
    row('lifetime', `${t.expire} s${t.expire >= 60 ? ` (${span(t.expire)})` : ''}`),
    row('salt', String(t.salt)),
    row('signature', style.dim(hex(t.signature))),
    ...checked,
    '',
  ]
  let zero = false
  t.services.forEach((service, i) => {
    lines.push(
      style.cyan(`service ${i + 1}: ${service.type}`) +
        style.dim(` (type ${SERVICE_TYPES.indexOf(service.type) + 1})`),
    )
    for (const [name, value] of Object.entries(service)) {
      if (name === 'type' || name === 'privileges' || name === 'permissions') continue
      lines.push(row(name, fieldText(service, name, value)))
    }
    if ('permissions' in service) lines.push(...permissionLines(service.permissions))
    const entries = Object.entries(service.privileges as Record<string, number>)
    if (entries.length === 0) lines.push(row('privileges', style.dim('none')))
    else lines.push('  privileges')
    const width = Math.max(...entries.map(([name]) => privilegeLabel(name).length))
    const digits = Math.max(...entries.map(([, seconds]) => String(seconds).length))
    for (const [name, seconds] of entries) {
      const label = `${privilegeLabel(name).padEnd(width)}  ${String(seconds).padStart(digits)}`
      if (seconds === 0) {
        zero = true
        lines.push(`    ${label} s  ${style.dim('→ lasts as long as the token (see note)')}`)
        continue
      }
      const at = t.issueTs + seconds
      const outlives = seconds > t.expire ? style.dim(', after the token itself') : ''
      lines.push(`    ${label} s  → ${time(at)}  (${expiryText(at, nowMs, style)}${outlives})`)
      if (seconds >= ABSOLUTE_FROM) {
        lines.push(
          `    ${' '.repeat(width)}  ${style.yellow(`${seconds} looks like a Unix time: 007 privileges are seconds after the issue time`)}`,
        )
      }
    }
  })
  if (t.unknownServiceType !== undefined) {
    lines.push(
      style.yellow(`service ${t.services.length + 1}: unknown type ${t.unknownServiceType}`),
      '  this library does not know its layout: it and anything after it are not shown (still signed)',
    )
  }
  if (zero) lines.push('', style.dim(`note: ${ZERO_NOTE}`))
  return lines
}

function fieldText(service: DecodedService, name: string, value: unknown): string {
  if (typeof value !== 'string') return String(value)
  if (value === '' && service.type === 'rtc' && name === 'uid') return `""  (uid 0: any uid)`
  return shown(value)
}

function privilegeLabel(name: string): string {
  return /^\d+$/.test(name) ? `privilege ${name}` : name
}

function permissionLines(permissions: Rtm2PermissionMap): string[] {
  const entries = Object.entries(permissions as Record<string, Record<string, string[]>>)
  if (entries.length === 0) return [row('permissions', 'none')]
  const lines = ['  permissions']
  for (const [resource, perms] of entries) {
    for (const [permission, names] of Object.entries(perms)) {
      lines.push(
        `    ${resource}.${permission}  ${names.map((n) => shown(n)).join(', ') || '(no resources)'}`,
      )
    }
  }
  return lines
}

function report006(
  t: DecodedToken006,
  nowMs: number,
  style: Style,
  checked: string[],
  view: ReportView,
): string[] {
  const time = (seconds: number) => shownTime(seconds, view.zone)
  const lines = [
    style.bold('AccessToken (006, legacy)'),
    row('app id', appIdText(t.appId)),
    row('expires at', `${time(t.ts)}  (${expiryText(t.ts, nowMs, style)})`),
    row('', style.dim('the message ts; the 006 builders set it to the issue time + 24 h')),
    row('salt', String(t.salt)),
    row(
      'channel',
      `CRC-32 ${crcText(t.crcChannelName)}  ${style.dim('(the name itself is not in the token)')}`,
    ),
    row(
      'uid',
      `CRC-32 ${crcText(t.crcUid)}  ${style.dim(t.crcUid === 0 ? '(uid 0: any uid)' : '(the uid itself is not in the token)')}`,
    ),
    row('signature', style.dim(hex(t.signature))),
    ...checked,
    '',
  ]
  const entries = Object.entries(t.privileges as Record<string, number>)
  lines.push(entries.length === 0 ? `privileges ${style.dim('none')}` : style.cyan('privileges'))
  const width = Math.max(...entries.map(([name]) => privilegeLabel(name).length))
  const digits = Math.max(...entries.map(([, at]) => String(at).length))
  for (const [name, at] of entries) {
    const label = `${privilegeLabel(name).padEnd(width)}  ${String(at).padStart(digits)}`
    lines.push(
      at === 0
        ? `  ${label}  ${style.dim('→ no limit (in 006, 0 means no limit; the token still ends at ts)')}`
        : `  ${label}  → ${time(at)}  (${expiryText(at, nowMs, style)})`,
    )
  }
  lines.push('', style.cyan('as AccessToken2') + style.dim(' (legacy.suggest007Call):'))
  lines.push(
    ...migrationHint(t)
      .split('\n')
      .map((line) => `  ${sanitized(line)}`),
  )
  return lines
}

function crcText(crc: number): string {
  return `0x${crc.toString(16).padStart(8, '0')}`
}

/** The equivalent 007 builder call for a 006 token (the one call site of the migration hint). */
export function migrationHint(t: DecodedToken006): string {
  return legacy.suggest007Call(t)
}

/** What `inspect --json` adds to the decoded token, under `inspection`. */
export function inspection(
  decoded: DecodedToken,
  nowMs: number,
  signature?: SignatureCheck,
  view: ReportView = {},
): unknown {
  const at = new Date(nowMs).toISOString()
  const common = signature === undefined ? {} : { signature }
  if (decoded.version === '006') {
    return plain({
      at,
      expired: nowMs >= decoded.ts * 1000,
      expiresAt: isoSeconds(decoded.ts),
      // 006 privilege times are absolute; 0 means no limit.
      privilegesExpireAt: mapValues(decoded.privileges, (time) =>
        time === 0 ? null : isoSeconds(time),
      ),
      migration: migrationHint(decoded),
      ...common,
    })
  }
  return plain({
    at,
    expired: nowMs >= (decoded.issueTs + decoded.expire) * 1000,
    issuedInFuture: issuedInFuture(decoded.issueTs, nowMs, view.toleranceMs),
    // Per service, issueTs + value; null for 0 (as long as the token, verifyToken's default).
    privilegesExpireAt: decoded.services.map((s) =>
      mapValues(s.privileges, (seconds) =>
        seconds === 0 ? null : isoSeconds(decoded.issueTs + seconds),
      ),
    ),
    ...common,
  })
}

function mapValues(obj: object, f: (value: number) => unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(obj as Record<string, number>).map(([k, v]) => [k, f(v)]),
  )
}
