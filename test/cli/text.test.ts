// How untrusted text is shown (src/cli/text.ts): escaped, cut, and never a certificate.
import { createHmac } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { couldBeSecret, echoed, MAX_SHOWN, redacted, sanitized, shown } from '../../src/cli/text.js'
import { APP_ID, cli } from '../helpers/cli.js'

// Everything a terminal or a log reader could act on: C0/C1 controls, DEL, bidi controls, line
// and paragraph separators, the BOM, and lone surrogates.
const UNSAFE_CHARS = [
  '\x00',
  '\x07',
  '\b',
  '\t',
  '\n',
  '\r',
  '\x1b',
  '\x7f',
  '\x85',
  '\x9b',
  '\u061c',
  '\u200e',
  '\u200f',
  '\u2028',
  '\u2029',
  '\u202a',
  '\u202e',
  '\u2066',
  '\u2069',
  '\ufeff',
  '\ud800',
  '\udfff',
]

/** Whether `text` holds any of {@link UNSAFE_CHARS} (a lone surrogate only when unpaired). */
function unsafe(text: string): boolean {
  return Array.from(text).some(
    (c) => UNSAFE_CHARS.includes(c) || (c.length === 1 && c >= '\ud800' && c <= '\udfff'),
  )
}

describe('shown', () => {
  it.each(UNSAFE_CHARS)('escapes U+%s', (c) => {
    const text = shown(`a${c}b`)
    expect(unsafe(text)).toBe(false)
    expect(text).toMatch(/^"a\\(?:u[0-9a-f]{4}|[ntr])b"$/)
  })

  it('quotes, escapes quotes and backslashes, and keeps printable Unicode and pairs', () => {
    expect(shown('room-1')).toBe('"room-1"')
    expect(shown('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"')
    expect(shown('Ünïcödé 🙂 नमस्ते')).toBe('"Ünïcödé 🙂 नमस्ते"')
    expect(shown('')).toBe('""')
    expect(shown('\x1b[2J\x1b[Hvalid\r\n')).toBe('"\\u001b[2J\\u001b[Hvalid\\r\\n"')
  })

  it('cuts long text at a bound (in code points, never inside a pair) and says how much more', () => {
    expect(shown('x'.repeat(MAX_SHOWN))).toBe(`"${'x'.repeat(MAX_SHOWN)}"`)
    expect(shown('x'.repeat(MAX_SHOWN + 5))).toBe(`"${'x'.repeat(MAX_SHOWN)}"… (5 more characters)`)
    expect(shown('🙂'.repeat(10), 3)).toBe('"🙂🙂🙂"… (7 more characters)')
    expect(shown('y'.repeat(100_000)).length).toBeLessThan(MAX_SHOWN + 40)
  })
})

describe('sanitized', () => {
  it('escapes without quoting, and cuts', () => {
    expect(sanitized('app "\x1b]0;pwned\x07" rejected')).toBe(
      'app "\\u001b]0;pwned\\u0007" rejected',
    )
    expect(unsafe(sanitized(UNSAFE_CHARS.join('')))).toBe(false)
    expect(sanitized('z'.repeat(2000), 10)).toBe(`${'z'.repeat(10)}… (1990 more characters)`)
  })
})

describe('certificates are never echoed', () => {
  const CERT = '5cfd2fd1755d40ecb72977518be15d3b'

  it('couldBeSecret: a run of 12 or more hex digits; the numbers people type are not', () => {
    for (const s of [CERT, CERT.slice(0, 12), `x${CERT}y`, CERT.toUpperCase(), '123456789012'])
      expect(couldBeSecret(s), s).toBe(true)
    for (const s of ['frobnicate', 'rtc', '4294967295', '1750000000', 'room-1', 'deadbeef'])
      expect(couldBeSecret(s), s).toBe(false)
  })

  it('echoed shows a harmless argument and only the length of a possible certificate', () => {
    expect(echoed('vedio')).toBe('"vedio"')
    expect(echoed(CERT)).toBe('an argument of 32 characters (not shown)')
    expect(echoed(`--${CERT}`)).toBe('an argument of 34 characters (not shown)')
  })

  it('redacted hides every 8-digit piece of a possible certificate, and its value as a number', () => {
    const digits = '12345678901234567890123456789012'
    expect(redacted(`got the string "${CERT}"`, [CERT])).toBe('got the string "<hidden>"')
    expect(redacted(`starts ${CERT.slice(0, 20).toUpperCase()}`, [CERT])).toBe('starts <hidden>')
    expect(redacted(`got ${Number(digits)}`, ['--expires-in', digits])).toBe('got <hidden>')
    expect(redacted(`got ${digits}n`, [digits])).toBe('got <hidden>n')
    // Other hex (an app id that was not among the arguments, a signature) stays.
    const appId = '970ca35de60c44645bbae8a215061b33'
    expect(redacted(`app ${appId}`, [CERT])).toBe(`app ${appId}`)
    expect(redacted('expected 1750000000', ['1750000000'])).toBe('expected 1750000000')
  })
})

/** A 007 token with any app id and one RTC service, signed with `certificate` (node:crypto). */
function craftedToken(
  appId: string,
  channelName: string,
  uid: string,
  certificate: string,
): string {
  const u16 = (n: number) => Buffer.from([n & 0xff, n >> 8])
  const u32 = (n: number) => {
    const b = Buffer.alloc(4)
    b.writeUInt32LE(n)
    return b
  }
  const string = (s: string) => Buffer.concat([u16(Buffer.byteLength(s)), Buffer.from(s)])
  const issueTs = 1_893_456_000 // 2030-01-01
  const salt = 1
  const info = Buffer.concat([
    string(appId),
    u32(issueTs),
    u32(3600),
    u32(salt),
    u16(1),
    u16(1), // rtc
    u16(1),
    u16(1),
    u32(0), // joinChannel: as long as the token
    string(channelName),
    string(uid),
  ])
  const k1 = createHmac('sha256', u32(issueTs)).update(certificate).digest()
  const key = createHmac('sha256', u32(salt)).update(k1).digest()
  const signature = createHmac('sha256', key).update(info).digest()
  return `007${deflateSync(Buffer.concat([u16(32), signature, info])).toString('base64')}`
}

describe('through the commands: untrusted text is escaped, certificates are not echoed', () => {
  const CERT = '5cfd2fd1755d40ecb72977518be15d3b'
  // (A lone surrogate cannot come out of a token: UTF-8 decoding makes it U+FFFD.)
  const HOSTILE = '\x1b[2J\x1b[H\r\nvalid: \u202eok\u202c\x9b'
  const AT = ['--at', '2030-01-01T00:01:00Z']

  /** No line of `text` holds a character a terminal could act on. */
  function expectSafe(text: string): void {
    for (const line of text.split('\n')) expect(unsafe(line), JSON.stringify(line)).toBe(false)
  }

  it('inspect escapes a hostile app id, channel name and uid, and cuts a long one', async () => {
    const token = craftedToken(HOSTILE, `${HOSTILE}${'c'.repeat(500)}`, HOSTILE, CERT)
    const text = await cli(['inspect', token, ...AT])
    expect(text.code).toBe(0)
    expectSafe(text.stdout)
    expect(text.stdout).toContain(`  app id       ${shown(HOSTILE)}\n`)
    expect(text.stdout).toContain(`  uid          ${shown(HOSTILE)}\n`)
    expect(text.stdout).toMatch(/^ {2}channelName {2}"\\u001b.*c"… \(\d+ more characters\)$/m)
    const json = await cli(['inspect', token, '--json', ...AT])
    expect(JSON.parse(json.stdout).appId).toBe(HOSTILE) // data stays exact in JSON
  })

  it('verify escapes what the library quotes from an unauthenticated token', async () => {
    const token = craftedToken(HOSTILE, 'c', '1', CERT)
    const wrong = await cli(['verify', token, '--cert', 'f'.repeat(32), ...AT])
    expect(wrong.code).toBe(1)
    expectSafe(wrong.stderr)
    expect(wrong.stderr.trimEnd().split('\n')).toHaveLength(1)
    const json = await cli(['verify', token, '--cert', 'f'.repeat(32), '--json', ...AT])
    expectSafe(JSON.parse(json.stdout).message)
    // Signed with the right certificate, the valid line shows the app id escaped too.
    const valid = await cli(['verify', token, '--cert', CERT, '--channel', 'c', ...AT])
    expect(valid.code, valid.stderr).toBe(0)
    expectSafe(valid.stdout)
    expect(valid.stdout).toContain(`for app ${shown(HOSTILE)},`)
  })

  it('verify escapes a channel and user given as arguments in its verdict', async () => {
    const channel = 'room\u202e1\u2066'
    const token = craftedToken('970ca35de60c44645bbae8a215061b33', channel, '1', CERT)
    const run = await cli(['verify', token, '--cert', CERT, '--channel', channel, ...AT])
    expect(run.code, run.stderr).toBe(0)
    expectSafe(run.stdout)
    expect(run.stdout).toContain(`in "room\\u202e1\\u2066"`)
  })

  it('an unknown command, kind or option never shows a piece of a certificate', async () => {
    const digits = '12345678901234567890123456789012'
    const runs = await Promise.all([
      cli([CERT]),
      cli([CERT.slice(0, 20)]),
      cli(['build', CERT]),
      cli([`--${CERT}`]),
      cli(['build', 'rtc', `--${CERT}`]),
      cli(['build', 'rtc', `--channel=${CERT}`, '--frob']),
      // A certificate given to a flag that takes a number or a duration, as digits or hex.
      cli(['build', 'rtm', '--user-id', 'a', '--expires-in', digits, '--app-id', APP_ID]),
      cli(['build', 'rtm', '--user-id', 'a', '--expires-in', CERT, '--app-id', APP_ID]),
      cli(['build', 'rtc', '--privilege-expires-in', `joinChannel=${digits}`, '--app-id', APP_ID]),
      cli(['verify', 'x', '--cert', 'f'.repeat(32), '--clock-tolerance', digits]),
      cli(['build', 'fpa', '--app-id', APP_ID, '--cert', CERT, '--salt', digits]),
    ])
    for (const run of runs) {
      expect(run.code).toBe(2)
      const text = `${run.stdout}${run.stderr}`.toLowerCase()
      for (const secret of [CERT, digits]) {
        for (let i = 0; i + 8 <= secret.length; i++) {
          expect(text, run.stderr).not.toContain(secret.slice(i, i + 8))
        }
      }
      expect(text).not.toContain(String(Number(digits)))
    }
    expect(runs[0].stderr).toMatch(/^token007: unknown command an argument of 32 characters/)
    expect(runs[2].stderr).toMatch(/unknown kind an argument of 32 characters \(not shown\)/)
  })
})
