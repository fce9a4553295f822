// token007 inspect: decode a token without a certificate and report what it says.
import { decodeToken } from '../index.js'
import type { Command } from './command.js'
import { EXIT } from './command.js'
import { certificatesFrom } from './credentials.js'
import { rtcUser } from './identity.js'
import type { Io } from './io.js'
import { jsonText, plain } from './json.js'
import { inspection, reportLines } from './report.js'
import { checkSignature, type SignatureCheck } from './signature.js'
import { createStyle } from './style.js'
import { parseTime } from './time.js'
import { readToken } from './token-input.js'
import { parseFlags, stringFlag } from './usage.js'

const HELP = `Usage: token007 inspect [<token> | -] [options]

Decodes a token (007 or legacy 006) without a certificate and prints what it says: app id, issue
and expiry times (ISO and relative), salt, every service with its fields, each privilege's expiry.
The token is read from stdin when it is '-' or not given.

Options:
  --json             machine-readable output: the decoded token (times ISO, signature hex)
                     plus "inspection" (reference time, expiry, privilege expiry times)
  --cert <hex>       also check the signature (repeat for several certificates; default
                     $TOKEN007_APP_CERTIFICATE, then $APP_CERTIFICATE)
  --channel <name>   006 only: the channel the token was made for (its signature covers it)
  --uid <n>          006 only: the uid the token was made for (or --account <name>)
  --account <name>
  --at <time>        show relative times as seen at this time (ISO 8601 or Unix seconds)
  -h, --help         this help

Exit status: 0 when the token was decoded (and, with a certificate, its signature matches);
1 when it cannot be decoded or its signature does not match; 2 for a usage error.

Examples:
  token007 inspect 007eJxTYPj...
  echo "$TOKEN" | token007 inspect --json | jq .services
  TOKEN007_APP_CERTIFICATE=... token007 inspect "$TOKEN"`

const OPTIONS = {
  json: { type: 'boolean' },
  cert: { type: 'string', multiple: true },
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
  const token = await readToken(positionals, io)
  const certificates = certificatesFrom(values, io)
  const at = stringFlag(values, 'at')
  const nowMs = at === undefined ? io.now() : parseTime(at, '--at').getTime()
  const channelName = stringFlag(values, 'channel')
  const uid = rtcUser(values)

  const decoded = decodeToken(token)
  let signature: SignatureCheck | undefined
  if (certificates.length > 0)
    signature = checkSignature(token, decoded, certificates, { channelName, uid })

  if (values.json) {
    io.out(
      jsonText({
        ...(plain(decoded) as object),
        inspection: inspection(decoded, nowMs, signature),
      }),
    )
  } else {
    io.out(`${reportLines(decoded, nowMs, createStyle(io.color), signature).join('\n')}\n`)
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
