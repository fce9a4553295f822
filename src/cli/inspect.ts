// token007 inspect: decode a token without a certificate and report what it says.
import { parseDuration } from '../index.js'
import type { Command } from './command.js'
import { EXIT } from './command.js'
import { readCertificates } from './credentials.js'
import { withFlagNames } from './flag-names.js'
import { rtcUser } from './identity.js'
import type { Io } from './io.js'
import { jsonText, plain } from './json.js'
import { inspection, reportLines } from './report.js'
import { checkSignature, type SignatureCheck } from './signature.js'
import { createStyle } from './style.js'
import { parseTime } from './time.js'
import { decodeGiven, expectOneToken, readToken } from './token-input.js'
import { parseFlags, stringFlag, UsageError } from './usage.js'

const HELP = `Usage: token007 inspect [<token> | -] [options]

Decodes a token (007 or legacy 006) without a certificate and prints what it says: app id, issue
and expiry times (ISO and relative), salt, every service with its fields, each privilege's expiry.
The token is read from stdin when it is '-' or not given.

Options:
  --json             machine-readable output: the decoded token (times ISO, signature hex)
                     plus "inspection" (reference time, expiry, privilege expiry times)
  --cert <hex>       also check the signature (repeat for several certificates; default
                     $AGORA_APP_CERTIFICATE, also read: $TOKEN007_APP_CERTIFICATE,
                     $APP_CERTIFICATE); --cert - reads it from stdin (then give the token
                     as an argument), --cert-file <path> from a file: neither shows in the
                     process list or the shell history
  --channel <name>   006 only: the channel the token was made for (its signature covers it)
  --uid <n>          006 only: the uid the token was made for (or --account <name>)
  --account <name>
  --at <time>        show relative times as seen at this time: ISO 8601, Unix seconds, now,
                     or an offset such as +2h or -30m
  --clock-tolerance <dur>  how far in the future an issue time may lie before it is flagged
                     (default 60s)
  -h, --help         this help

Times are shown in UTC and, when stdout is a terminal, also in local time.

Exit status: 0 when the token was decoded (and, with a certificate, its signature matches);
1 when it cannot be decoded, its signature does not match, or a signature check asked for
could not run (a 006 token without --channel and --uid); 2 for a usage error.

Examples:
  token007 inspect 007eJxTYPj...
  echo "$TOKEN" | token007 inspect --json | jq .services
  token007 inspect "$TOKEN" --cert-file ./certificate.txt --at +2h`

const OPTIONS = {
  json: { type: 'boolean' },
  cert: { type: 'string', multiple: true },
  'cert-file': { type: 'string', multiple: true },
  'clock-tolerance': { type: 'string' },
  channel: { type: 'string' },
  uid: { type: 'string' },
  account: { type: 'string' },
  at: { type: 'string' },
} as const

async function run(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS)
  if (values.help) {
    io.out(`${HELP}\n`)
    return EXIT.ok
  }
  expectOneToken(positionals)
  const { certificates, readStdin } = await readCertificates(values, io)
  const token = await readToken(positionals, io, readStdin)
  const at = stringFlag(values, 'at')
  const nowMs = at === undefined ? io.now() : parseTime(at, '--at', io.now()).getTime()
  const tolerance = stringFlag(values, 'clock-tolerance')
  const toleranceMs =
    tolerance === undefined
      ? undefined
      : withFlagNames({}, () => parseDuration(tolerance, '--clock-tolerance')) * 1000
  const channelName = stringFlag(values, 'channel')
  const uid = rtcUser(values)

  const decoded = decodeGiven(token)
  if (decoded.version === '007' && (channelName !== undefined || uid !== undefined)) {
    throw new UsageError(
      '--channel, --uid and --account apply to 006 tokens; a 007 token carries its channel and uid (see the report, or use token007 verify to check them)',
    )
  }
  let signature: SignatureCheck | undefined
  if (certificates.length > 0)
    signature = checkSignature(token, decoded, certificates, { channelName, uid })

  const view = { zone: io.localTimeZone, toleranceMs }
  if (values.json) {
    io.out(
      jsonText({
        ...(plain(decoded) as object),
        inspection: inspection(decoded, nowMs, signature, view),
      }),
    )
  } else {
    io.out(`${reportLines(decoded, nowMs, createStyle(io.color), signature, view).join('\n')}\n`)
  }
  if (signature !== undefined && !signature.checked) {
    // A check that was asked for and could not run is not a success.
    io.err(`token007 inspect: the signature was not checked: ${signature.reason}\n`)
    return EXIT.rejected
  }
  return signature?.checked && !signature.valid ? EXIT.rejected : EXIT.ok
}

/** `token007 inspect`. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'decode a token and show what it grants, until when (no certificate needed)',
  help: HELP,
  run,
}
