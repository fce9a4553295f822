// App credentials from flags, a file, stdin or the environment. AGORA_APP_ID /
// AGORA_APP_CERTIFICATE first (the names Agora's own samples use), then TOKEN007_*, then APP_ID /
// APP_CERTIFICATE (the community token servers' names).
import type { Io } from './io.js'
import { echoed, shown } from './text.js'
import { listFlag, stringFlag, UsageError, type Values } from './usage.js'

/** The environment variables read for the app id, in order. */
export const APP_ID_VARS = ['AGORA_APP_ID', 'TOKEN007_APP_ID', 'APP_ID'] as const
/** The environment variables read for the app certificate, in order. */
export const CERTIFICATE_VARS = [
  'AGORA_APP_CERTIFICATE',
  'TOKEN007_APP_CERTIFICATE',
  'APP_CERTIFICATE',
] as const

const HEX32 = /^[0-9a-fA-F]{32}$/

function fromEnv(io: Io, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = io.env[name]
    if (value !== undefined && value !== '') return { name, value: value.trim() }
  }
  return undefined
}

/** 32 hexadecimal characters, or a usage error naming `where`; a certificate is never shown. */
function checkHex32(value: string, where: string, secret: boolean): string {
  if (HEX32.test(value)) return value
  const got = secret
    ? `a string of ${value.length} characters${value.length === 32 ? ' that are not all hexadecimal' : ''}`
    : echoed(value)
  throw new UsageError(`${where}: expected 32 hexadecimal characters, got ${got}`)
}

/** The app id from `--app-id` or the environment, or undefined when neither gives one. */
export function optionalAppId(values: Values, io: Io): string | undefined {
  const flag = stringFlag(values, 'app-id')
  const found = flag === undefined ? fromEnv(io, APP_ID_VARS) : { name: '--app-id', value: flag }
  return found === undefined ? undefined : checkHex32(found.value, found.name, false)
}

/** The app id: `--app-id`, else AGORA_APP_ID, TOKEN007_APP_ID or APP_ID. */
export function appIdFrom(values: Values, io: Io): string {
  const appId = optionalAppId(values, io)
  if (appId === undefined) throw new UsageError('no app id: pass --app-id or set AGORA_APP_ID')
  return appId
}

/** Where a command's certificates come from, and whether stdin carried one. */
export interface Certificates {
  certificates: string[]
  /** True when `--cert -` read stdin (so the token cannot come from there too). */
  readStdin: boolean
}

/**
 * The certificates of `--cert <hex>` flags, else of the environment, without reading stdin or
 * files (for commands that read their own): none when nothing gives one. Each is registered
 * as a secret with `io` before it is checked, and a bad one is described by its shape only.
 */
export function certificatesFrom(values: Values, io: Io): string[] {
  const flags = listFlag(values, 'cert')
  for (const value of flags) io.secret(value)
  if (flags.length > 0) {
    return flags.map((value, i) =>
      checkHex32(value, flags.length > 1 ? `--cert (certificate #${i + 1})` : '--cert', true),
    )
  }
  const found = fromEnv(io, CERTIFICATE_VARS)
  if (found === undefined) return []
  io.secret(found.value)
  return [checkHex32(found.value, found.name, true)]
}

/**
 * The certificates: every `--cert` (`-` reads one from stdin) and `--cert-file` (several for
 * rotation), else the environment; none when nothing gives one. Each is registered as a secret
 * with `io` before it is checked, and a bad one is described by its shape only.
 */
export async function readCertificates(values: Values, io: Io): Promise<Certificates> {
  const flags = listFlag(values, 'cert')
  const files = listFlag(values, 'cert-file')
  const given: Array<{ where: string; value: string }> = []
  let readStdin = false
  for (const value of flags) {
    if (value !== '-') {
      given.push({ where: '--cert', value })
      continue
    }
    if (readStdin) throw new UsageError('--cert - can be given once (stdin holds one certificate)')
    readStdin = true
    given.push({ where: '--cert - (stdin)', value: (await io.readStdin()).trim() })
  }
  for (const path of files) given.push(...certificateLines(path, await io.readFile(path)))
  if (given.length === 0) return { certificates: certificatesFrom(values, io), readStdin }
  for (const { value } of given) io.secret(value)
  const certificates = given.map(({ where, value }, i) =>
    checkHex32(value, given.length > 1 ? `${where} (certificate #${i + 1})` : where, true),
  )
  return { certificates, readStdin }
}

/**
 * The certificates of a `--cert-file`: one per line (several for a rotation); blank lines and
 * `#` comments are skipped. A bad line is named by its number, never by its content.
 */
function certificateLines(path: string, text: string): Array<{ where: string; value: string }> {
  const found: Array<{ where: string; value: string }> = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const value = raw.trim()
    if (value === '' || value.startsWith('#')) return
    found.push({ where: `--cert-file ${shown(path)} line ${i + 1}`, value })
  })
  if (found.length === 0)
    throw new UsageError(`--cert-file ${shown(path)}: the file holds no certificate`)
  return found
}

/** Like {@link readCertificates}, but one certificate is required. */
export async function requiredCertificates(values: Values, io: Io): Promise<Certificates> {
  const found = await readCertificates(values, io)
  if (found.certificates.length === 0) {
    throw new UsageError(
      'no app certificate: pass --cert <hex>, --cert - (stdin) or --cert-file <path>, or set AGORA_APP_CERTIFICATE',
    )
  }
  return found
}

/** The help lines about credentials, shared by the commands. */
export const CREDENTIAL_HELP = `  --app-id <hex>        default $AGORA_APP_ID (also read: $TOKEN007_APP_ID, $APP_ID)
  --cert <hex>          the app certificate, default $AGORA_APP_CERTIFICATE (also read:
                        $TOKEN007_APP_CERTIFICATE, $APP_CERTIFICATE); a flag shows in the
                        process list and the shell history, so prefer one of:
  --cert -              read the certificate from stdin
  --cert-file <path>    read certificates from a file, one per line (# comments skipped)`
