// App credentials from flags or the environment. TOKEN007_* first, then APP_ID / APP_CERTIFICATE,
// the names the community token servers use.
import { checkHex32 } from '../lib/validate.js'
import type { Io } from './io.js'
import { listFlag, stringFlag, UsageError, type Values } from './usage.js'

const APP_ID_VARS = ['TOKEN007_APP_ID', 'APP_ID'] as const
const CERTIFICATE_VARS = ['TOKEN007_APP_CERTIFICATE', 'APP_CERTIFICATE'] as const

function fromEnv(io: Io, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = io.env[name]
    if (value !== undefined && value !== '') return { name, value: value.trim() }
  }
  return undefined
}

/** The app id: `--app-id`, else TOKEN007_APP_ID, else APP_ID. */
export function appIdFrom(values: Values, io: Io): string {
  const flag = stringFlag(values, 'app-id')
  const found = flag === undefined ? fromEnv(io, APP_ID_VARS) : { name: '--app-id', value: flag }
  if (found === undefined) {
    throw new UsageError('no app id: pass --app-id or set TOKEN007_APP_ID (or APP_ID)')
  }
  return checkHex32(found.value, found.name, false)
}

/**
 * The certificates: every `--cert` (several for rotation), else TOKEN007_APP_CERTIFICATE, else
 * APP_CERTIFICATE; `[]` when none is given. Each one is registered as a secret with `io` before
 * it is checked, and a bad one is described by its shape only.
 */
export function certificatesFrom(values: Values, io: Io): string[] {
  const flags = listFlag(values, 'cert')
  if (flags.length > 0) {
    for (const value of flags) io.secret(value)
    return flags.map((value, i) =>
      checkHex32(value, flags.length > 1 ? `--cert #${i + 1}` : '--cert', true),
    )
  }
  const found = fromEnv(io, CERTIFICATE_VARS)
  if (found === undefined) return []
  io.secret(found.value)
  return [checkHex32(found.value, found.name, true)]
}

/** Like {@link certificatesFrom}, but one certificate is required. */
export function requiredCertificates(values: Values, io: Io): string[] {
  const certificates = certificatesFrom(values, io)
  if (certificates.length === 0) {
    throw new UsageError(
      'no app certificate: pass --cert or set TOKEN007_APP_CERTIFICATE (or APP_CERTIFICATE)',
    )
  }
  return certificates
}
