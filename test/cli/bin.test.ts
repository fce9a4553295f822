// The built executable, dist/cli.js, in a child process with real argv, stdin, files,
// environment, pipes and exit codes: what the in-process tests cannot see (bin.ts and
// process-io.ts). Everything else about the commands is tested in-process.
import { spawn } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyToken } from '../../src/index.js'
import { APP_ID, CERT, CREDENTIALS, PINNED } from '../helpers/cli.js'

const ROOT = join(__dirname, '..', '..')
const CLI = join(ROOT, 'dist', 'cli.js')
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const TMP = mkdtempSync(join(tmpdir(), 'token007-cli-'))

function newest(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(...readdirSync(path).map((name) => newest(join(path, name))))
}

beforeAll(async () => {
  // `npm test` builds first; build here too when dist/cli.js is missing or older than its
  // sources, so that this file also runs on its own.
  const sources = Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'package.json')))
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < sources) {
    const { execFileSync } = await import('node:child_process')
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' })
  }
}, 120_000)

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

const runs: Run[] = []

/**
 * Runs `node dist/cli.js <args>` with `input` on stdin (a pipe) and an environment holding only
 * PATH and `env`. With `closeAfter`, stdout is closed after that many bytes (`| head -c`).
 */
function bin(
  args: string[],
  options: { input?: string; env?: Record<string, string>; closeAfter?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...options.env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      if (options.closeAfter !== undefined && stdout.length >= options.closeAfter) {
        child.stdout.destroy()
      }
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const run = { code, stdout, stderr }
      runs.push(run)
      resolve(run)
    })
    child.stdin.on('error', () => {}) // the CLI may exit before it reads stdin
    child.stdin.end(options.input ?? '')
  })
}

const RTC = ['--channel', 'c', '--uid', '1', '--role', 'publisher']

describe('dist/cli.js', () => {
  it('--version prints the version of package.json and exits 0', async () => {
    expect(await bin(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
  })

  it('exit codes: 2 for no arguments or a usage error, 1 for a rejected token, 0 for success', async () => {
    const [none, unknown, unreadable, built] = await Promise.all([
      bin([]),
      bin(['frobnicate']),
      bin(['inspect', 'hello']),
      bin(['build', 'rtc', ...CREDENTIALS, ...PINNED, ...RTC]),
    ])
    expect(none.code).toBe(2)
    expect(none.stdout).toBe('')
    expect(none.stderr).toMatch(/^token007 \d+\.\d+\.\d+: build, inspect and verify/)
    expect(unknown).toMatchObject({ code: 2, stdout: '' })
    expect(unknown.stderr).toMatch(/^token007: unknown command "frobnicate"/)
    expect(unreadable).toMatchObject({ code: 1, stdout: '' })
    expect(unreadable.stderr).toMatch(/^token007 inspect: ERR_TOKEN_VERSION: /)
    expect(built).toMatchObject({ code: 0, stderr: '' })
    expect(
      verifyToken(built.stdout.trim(), CERT, { currentDate: new Date('2030-01-01') }).appId,
    ).toBe(APP_ID)
  })

  it('reads the token from stdin, and the certificate with --cert - (then the token is an argument)', async () => {
    const token = (await bin(['build', 'rtc', ...CREDENTIALS, ...PINNED, ...RTC])).stdout.trim()
    const fromStdin = await bin(['inspect', '--json'], { input: `${token}\n` })
    expect(fromStdin.code).toBe(0)
    expect(JSON.parse(fromStdin.stdout).salt).toBe(7)
    const certFromStdin = await bin(
      ['verify', token, '--cert', '-', '--at', '2030-01-01T00:10:00Z'],
      {
        input: `${CERT}\n`,
      },
    )
    expect(certFromStdin).toMatchObject({ code: 0, stderr: '' })
    expect(certFromStdin.stdout).toMatch(/^valid: 007 token/)
    const both = await bin(['verify', '--cert', '-'], { input: `${CERT}\n` })
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(
      /stdin carried the certificate \(--cert -\): give the token as an argument/,
    )
  })

  it('--cert-file reads the certificate from a file; a missing file is a usage error naming it', async () => {
    const file = join(TMP, 'certificate.txt')
    writeFileSync(file, `${CERT}\n`)
    const run = await bin(['build', 'fpa', '--app-id', APP_ID, '--cert-file', file, ...PINNED])
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(
      verifyToken(run.stdout.trim(), CERT, { currentDate: new Date('2030-01-01') }).appId,
    ).toBe(APP_ID)
    const missing = await bin([
      'build',
      'fpa',
      '--app-id',
      APP_ID,
      '--cert-file',
      join(TMP, 'nope'),
    ])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain(`cannot read ${JSON.stringify(join(TMP, 'nope'))} (ENOENT)`)
  })

  it('masks a certificate wherever it would appear in its output (the last line of defence)', async () => {
    // A channel named like the certificate: --json prints the channel, the process Io masks it.
    const run = await bin([
      'build',
      'rtc',
      ...CREDENTIALS,
      ...PINNED,
      '--json',
      '--channel',
      CERT,
      '--uid',
      '1',
      '--role',
      'publisher',
    ])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).decoded.services[0].channelName).toBe('<certificate>')
  })

  it('prints no colour when stdout is not a terminal, and times in UTC only', async () => {
    const token = (await bin(['build', 'rtc', ...CREDENTIALS, ...PINNED, ...RTC])).stdout.trim()
    const report = await bin(['inspect', token, '--cert', CERT], { env: { TZ: 'Asia/Tokyo' } })
    expect(report.code).toBe(0)
    expect(report.stdout).not.toContain('\x1b[')
    expect(report.stdout).toContain('  issued at    2030-01-01T00:00:00.000Z  (')
    expect(report.stdout).not.toContain('GMT+9')
  })

  it('build --count into a closed pipe (| head) ends quietly with exit 0', async () => {
    const run = await bin(
      ['build', 'rtc', ...CREDENTIALS, '--count', '1000000000', '--format', 'tokens', ...RTC],
      { closeAfter: 1000 },
    )
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('')
    expect(run.stdout.length).toBeGreaterThanOrEqual(1000)
  })

  it('build --count -o writes the whole file under its name only at the end', async () => {
    const file = join(TMP, 'bots.csv')
    const run = await bin([
      'build',
      'rtc',
      ...CREDENTIALS,
      '--count',
      '1000',
      '--channel',
      'load-{i%100}',
      '--uid',
      '{i+1000}',
      '--role',
      'publisher',
      '--format',
      'csv',
      '-o',
      file,
    ])
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' })
    const lines = readFileSync(file, 'utf8').split('\r\n')
    expect(lines[0]).toBe('i,channelName,uid,token,expiresAt')
    expect(lines).toHaveLength(1002) // header, 1000 rows, and the empty text after the last CRLF
    expect(lines[1000].split(',').slice(0, 3)).toEqual(['999', 'load-99', '1999'])
    expect(readdirSync(TMP).filter((name) => name.includes('.partial-'))).toEqual([])
    const failed = await bin([
      'build',
      'rtc',
      ...CREDENTIALS,
      '--count',
      '10',
      '--channel',
      'c',
      '--uid',
      '{i+4294967290}',
      '--role',
      'publisher',
      '-o',
      join(TMP, 'never.jsonl'),
    ])
    expect(failed.code).toBe(2)
    expect(existsSync(join(TMP, 'never.jsonl'))).toBe(false)
  })

  it('--debug adds the stack trace of dist/cli.js', async () => {
    const debug = await bin(['build', 'rtc', '--debug'])
    expect(debug.code).toBe(2)
    expect(debug.stderr).toMatch(/\n\s+at .*cli\.js/)
  })
})

afterAll(() => {
  for (const run of runs) expect(`${run.stdout}${run.stderr}`.toLowerCase()).not.toContain(CERT)
})
