// token007's global behaviour, in-process through main(args, io): --version, --help, usage
// errors, --debug, colour.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  CREDENTIALS,
  PINNED,
  cli,
  expectErrors,
  expectNoCertificatePrinted,
  expectOneLineError,
} from '../helpers/cli.js'

const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'))
const CERT = CREDENTIALS[3]
const EXTRA_CERTIFICATES: string[] = []

describe('token007', () => {
  it('--version prints the version of package.json', async () => {
    for (const flag of ['--version', '-v']) {
      const run = await cli([flag])
      expect(run).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' })
    }
  })

  it('--help lists the commands and exits 0', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const run = await cli(args)
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(/^token007 \d+\.\d+\.\d+/)
      for (const command of ['inspect', 'verify', 'build', 'demo']) {
        expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'))
      }
    }
  })

  it('no arguments at all prints the usage on stderr and exits 2', async () => {
    const run = await cli([])
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe(`${(await cli(['--help'])).stdout}`)
  })

  it('the help names AGORA_APP_ID / AGORA_APP_CERTIFICATE and the ways to keep the certificate out of argv', async () => {
    const help = (await cli(['--help'])).stdout
    expect(help).toContain('AGORA_APP_ID and AGORA_APP_CERTIFICATE')
    expect(help).toContain('--cert - (stdin)')
    expect(help).toContain('--cert-file <path>')
    for (const command of ['build', 'verify', 'inspect']) {
      const text = (await cli([command, '--help'])).stdout
      expect(text, command).toContain('$AGORA_APP_CERTIFICATE')
      expect(text, command).toContain('--cert-file <path>')
      expect(text, command).toMatch(/--cert -\s/)
    }
  })

  it('every command has --help, and `help <command>` shows the same text', async () => {
    for (const command of ['inspect', 'verify', 'build', 'demo']) {
      const [flag, short, topic] = await Promise.all([
        cli([command, '--help']),
        cli([command, '-h']),
        cli(['help', command]),
      ])
      expect(flag.code).toBe(0)
      expect(flag.stdout).toMatch(new RegExp(`^Usage: token007 ${command}`))
      expect(short).toEqual(flag)
      expect(topic).toEqual(flag)
    }
  })

  it('an unknown command or option is a usage error (exit 2) on one line', async () => {
    await expectErrors([
      [
        ['frobnicate'],
        2,
        /^token007: unknown command "frobnicate"; expected one of inspect, verify, build, demo/,
      ],
      [
        ['verify', '--frob'],
        2,
        /^token007 verify: unknown option --frob \(see token007 verify --help\)\n$/,
      ],
      [['inspect', '--json=yes'], 2, /^token007 inspect: --json takes no value/],
      [['verify', 'x', '--cert'], 2, /^token007 verify: --cert needs a value/],
    ])
  })

  it('--debug adds the stack trace; without it there is none', async () => {
    const plain = await cli(['build', 'rtc'])
    expectOneLineError(
      plain,
      2,
      /^token007 build: no app id: pass --app-id or set AGORA_APP_ID \(see token007 build --help\)\n$/,
    )
    const debug = await cli(['build', 'rtc', '--debug'])
    expect(debug.code).toBe(2)
    expect(debug.stderr.split('\n')[0]).toBe(plain.stderr.trimEnd())
    expect(debug.stderr).toMatch(/\n\s+at .*src\/cli\/credentials\.ts/)
  })

  it('colours its report only when the Io allows colour', async () => {
    const run = await cli([
      'build',
      'rtc',
      ...CREDENTIALS,
      ...PINNED,
      '--channel',
      'c',
      '--uid',
      '1',
      '--role',
      'publisher',
    ])
    const plain = await cli(['inspect', run.stdout.trim(), '--cert', CERT])
    expect(plain.code).toBe(0)
    expect(plain.stdout).not.toContain('\x1b[')
    const coloured = await cli(['inspect', run.stdout.trim(), '--cert', CERT], { color: true })
    expect(coloured.stdout).toContain('\x1b[32msignature valid')
    expect(coloured.stdout.replace(/\x1b\[\d+m/g, '')).toBe(plain.stdout)
  })
})

afterAll(() => expectNoCertificatePrinted(EXTRA_CERTIFICATES))
