// token007 demo: the tour a newcomer runs on a fresh clone. It drives the real commands (build,
// inspect, verify) with built-in demo credentials, then shows what verify rejects.
import { buildToken, decodeToken } from '../index.js'
import { buildCommand } from './build.js'
import type { Command } from './command.js'
import { EXIT } from './command.js'
import { inspectCommand } from './inspect.js'
import type { Io } from './io.js'
import { createStyle, type Style } from './style.js'
import { parseFlags, UsageError } from './usage.js'
import { verifyCommand } from './verify.js'

/**
 * Obviously fake credentials: the tokens they make are refused by Agora. They are public, so
 * the demo prints them, and every step can be pasted into a shell.
 */
export const DEMO_APP_ID = '00000000000000000000000000000000'
/** The demo's certificate (public, useless with Agora). */
export const DEMO_CERTIFICATE = 'ffffffffffffffffffffffffffffffff'
// What a forger without the certificate might sign with.
const GUESSED_CERTIFICATE = '0123456789abcdef0123456789abcdef'

const HELP = `Usage: token007 demo

Builds an RTC publisher token, an RTM token and a Chat user token with built-in DEMO credentials
(not valid with Agora), inspects and verifies each, shows tampered, forged, expired and
misdirected tokens being rejected, then prints the commands to do the same with your own
credentials. Runs offline.`

/** A shell-like session: shows each command, then runs the real one with its output indented. */
class Session {
  readonly style: Style
  private failures = 0

  constructor(private readonly io: Io) {
    this.style = createStyle(io.color)
  }

  line(text = ''): void {
    this.io.out(`${text}\n`)
  }

  heading(text: string): void {
    this.line()
    this.line(this.style.bold(this.style.cyan(`── ${text} `.padEnd(72, '─'))))
  }

  /**
   * Runs `command` with `args` as `token007 <shown>` would, under the demo credentials.
   * Returns what it wrote to stdout; reports an exit code other than `expected` as a failure.
   */
  async run(command: Command, args: string[], shown: string, expected: number): Promise<string> {
    this.line(`${this.style.dim('$')} ${shown}`)
    let out = ''
    const indent = (text: string) => text.replace(/^(?=.)/gm, '  ')
    const io: Io = {
      ...this.io,
      env: {
        ...this.io.env,
        AGORA_APP_ID: DEMO_APP_ID,
        AGORA_APP_CERTIFICATE: DEMO_CERTIFICATE,
      },
      out: (text) => {
        out += text
        this.io.out(indent(text))
      },
      err: (text) => this.io.out(indent(this.style.red(text.replace(/\n$/, '')) + '\n')),
      readStdin: async () => '',
      stdinIsTty: true,
    }
    const code = await command.run(args, io)
    if (code !== EXIT.ok) this.line(this.style.dim(`  (exit ${code})`))
    if (code !== expected) {
      this.failures++
      this.line(this.style.red(`  demo: expected exit ${expected}, got ${code}`))
    }
    return out.trim()
  }

  get ok(): boolean {
    return this.failures === 0
  }
}

async function run(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, {})
  if (values.help) {
    io.out(`${HELP}\n`)
    return EXIT.ok
  }
  if (positionals.length > 0) throw new UsageError('demo takes no arguments')
  const s = new Session(io)
  const { bold, yellow, dim } = s.style

  s.line(bold('token007 demo') + ': build, inspect and verify Agora tokens, offline')
  s.line(yellow('DEMO credentials — public, and not valid with Agora. To replay each step:'))
  s.line(`  export AGORA_APP_ID=${DEMO_APP_ID}`)
  s.line(`  export AGORA_APP_CERTIFICATE=${DEMO_CERTIFICATE}`)
  s.line(`  alias token007='node dist/cli.js'   ${dim('# in a clone of the repository')}`)

  s.heading('1. An RTC publisher token')
  const rtcArgs = [
    'rtc',
    '--channel',
    'demo-room',
    '--uid',
    '42',
    '--role',
    'publisher',
    '--expires-in',
    '1h',
  ]
  const rtc = await s.run(
    buildCommand,
    rtcArgs,
    `RTC_TOKEN=$(token007 build ${rtcArgs.join(' ')})`,
    EXIT.ok,
  )
  await s.run(inspectCommand, [rtc], 'token007 inspect "$RTC_TOKEN"', EXIT.ok)
  const rtcCheck = ['--channel', 'demo-room', '--uid', '42', '--privilege', 'publishVideoStream']
  await s.run(
    verifyCommand,
    [rtc, ...rtcCheck],
    `token007 verify "$RTC_TOKEN" ${rtcCheck.join(' ')}`,
    EXIT.ok,
  )

  s.heading('2. An RTM token')
  const rtmArgs = ['rtm', '--user-id', 'demo-user', '--expires-in', '8h']
  const rtm = await s.run(
    buildCommand,
    rtmArgs,
    `RTM_TOKEN=$(token007 build ${rtmArgs.join(' ')})`,
    EXIT.ok,
  )
  await s.run(inspectCommand, [rtm], 'token007 inspect "$RTM_TOKEN"', EXIT.ok)
  const rtmCheck = ['--user-id', 'demo-user', '--privilege', 'login']
  await s.run(
    verifyCommand,
    [rtm, ...rtmCheck],
    `token007 verify "$RTM_TOKEN" ${rtmCheck.join(' ')}`,
    EXIT.ok,
  )

  s.heading('3. A Chat user token')
  const chatArgs = ['chat', '--user-id', 'demo-user', '--expires-in', '24h']
  const chat = await s.run(
    buildCommand,
    chatArgs,
    `CHAT_TOKEN=$(token007 build ${chatArgs.join(' ')})`,
    EXIT.ok,
  )
  await s.run(inspectCommand, [chat], 'token007 inspect "$CHAT_TOKEN"', EXIT.ok)
  const chatCheck = ['--service', 'chat', '--user-id', 'demo-user', '--privilege', 'user']
  await s.run(
    verifyCommand,
    [chat, ...chatCheck],
    `token007 verify "$CHAT_TOKEN" ${chatCheck.join(' ')}`,
    EXIT.ok,
  )

  s.heading('4. What verify rejects')
  const at = Math.floor(rtc.length / 2)
  const tampered = rtc.slice(0, at) + (rtc[at] === 'A' ? 'B' : 'A') + rtc.slice(at + 1)
  s.line(dim(`# $RTC_TOKEN with character ${at + 1} changed`))
  s.line(`${dim('$')} TAMPERED=${tampered}`)
  await s.run(verifyCommand, [tampered], 'token007 verify "$TAMPERED"', EXIT.rejected)
  s.line(dim('# $RTC_TOKEN re-made for channel "vip-room", signed without the real certificate'))
  const forged = forge(rtc)
  s.line(`${dim('$')} FORGED=${forged}`)
  await s.run(
    verifyCommand,
    [forged, '--channel', 'vip-room'],
    'token007 verify "$FORGED" --channel vip-room',
    EXIT.rejected,
  )
  s.line(dim('# $RTC_TOKEN, two hours from now'))
  await s.run(
    verifyCommand,
    [rtc, '--at', '+2h'],
    'token007 verify "$RTC_TOKEN" --at +2h',
    EXIT.rejected,
  )
  s.line(dim('# $RTC_TOKEN, for another channel'))
  await s.run(
    verifyCommand,
    [rtc, '--channel', 'lobby'],
    'token007 verify "$RTC_TOKEN" --channel lobby',
    EXIT.rejected,
  )

  s.heading('5. Now with your own credentials')
  for (const command of [
    'export AGORA_APP_ID=<your app id>',
    'export AGORA_APP_CERTIFICATE=<your app certificate>',
    'TOKEN=$(npx token007 build rtc --channel room-1 --uid 42 --role publisher --expires-in 1h)',
    'npx token007 inspect "$TOKEN"',
    'npx token007 verify "$TOKEN" --channel room-1 --uid 42 --privilege joinChannel',
    'npx token007 build rtm --user-id alice --expires-in 8h',
    'npx token007 build chat --user-id alice',
    'npx token007 --help',
  ]) {
    s.line(`  ${command}`)
  }
  s.line(dim('  (in a clone of the repository: node dist/cli.js instead of npx token007)'))
  return s.ok ? EXIT.ok : EXIT.rejected
}

/** The token re-made for another channel, signed with a guessed certificate. */
function forge(token: string): string {
  const decoded = decodeToken(token)
  if (decoded.version !== '007') return token
  const services = decoded.services.map((s) =>
    s.type === 'rtc' ? { ...s, channelName: 'vip-room' } : s,
  )
  return buildToken({
    appId: decoded.appId,
    appCertificate: GUESSED_CERTIFICATE,
    expire: decoded.expire,
    issueTs: decoded.issueTs,
    salt: decoded.salt,
    services,
  })
}

/** `token007 demo`. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'build, inspect and verify tokens with demo credentials (offline)',
  help: HELP,
  run,
}
