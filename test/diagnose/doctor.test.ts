// token007 doctor, run as users run it: the built dist/cli.js in a child process with real argv,
// stdin, environment, files and exit codes. Expected findings come from the token's construction
// (our builders with a pinned clock, agora-token), not from diagnoseToken's own output.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RtcTokenBuilder as AgoraRtc, RtcRole as AgoraRtcRole } from 'agora-token'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildToken, createTokenBuilders, decodeToken } from '../../src/index.js'

const ROOT = join(__dirname, '..', '..')
const CLI = join(ROOT, 'dist', 'cli.js')
const appId = '970ca35de60c44645bbae8a215061b33'
const cert = '5cfd2fd1755d40ecb72977518be15d3b'
const otherCert = '0cfd2fd1755d40ecb72977518be15d3b'
const issueTs = 1_800_000_000
const { RtcTokenBuilder } = createTokenBuilders({ now: () => issueTs * 1000, salt: () => 5 })
const token = RtcTokenBuilder.buildTokenWithUid(appId, cert, 'room-1', 42, 1, 3600, 3600)
const during = '2027-01-15T08:10:00Z'

function newest(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(...readdirSync(path).map((name) => newest(join(path, name))))
}

let dir: string
beforeAll(async () => {
  const sources = Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'package.json')))
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < sources) {
    const { execFileSync } = await import('node:child_process')
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' })
  }
  dir = mkdtempSync(join(tmpdir(), 'token007-doctor-'))
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Run {
  code: number | null
  stdout: string
  stderr: string
}
const runs: Run[] = []

function doctor(
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'doctor', ...args], {
      env: { PATH: process.env.PATH ?? '', ...options.env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      const run = { code, stdout, stderr }
      runs.push(run)
      resolve(run)
    })
    child.stdin.end(options.input ?? '')
  })
}

const codes = (run: Run) => JSON.parse(run.stdout).findings.map((f: { code: string }) => f.code)

describe('token007 doctor', () => {
  it('exits 0 for a token that fits the app, and says so', async () => {
    const run = await doctor([
      token,
      '--app-id',
      appId,
      '--cert',
      cert,
      '--channel',
      'room-1',
      '--uid',
      '42',
      '--role',
      'publisher',
      '--service',
      'rtc',
      '--at',
      during,
    ])
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(run.stdout).toContain(`007 token for app ${appId}: rtc; expires in 50m`)
    expect(run.stdout).toContain('0 errors, 0 warnings, 0 notes: no reason to reject the token')
  })

  it('exits 1 and lists each error with its Agora code and fix', async () => {
    const run = await doctor([token, '--channel', 'room-2', '--account', 'alice', '--at', during])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /✗ CHANNEL_MISMATCH \(error, Agora error 110\)\n {2}the token is for channel "room-1", the app joins "room-2"/,
    )
    expect(run.stdout).toMatch(/✗ ACCOUNT_VS_UID/)
    expect(run.stdout).toMatch(/i SIGNATURE_NOT_CHECKED \(info\)/)
    expect(run.stdout).toContain('2 errors, 0 warnings, 1 note: the token would be rejected')
  })

  it('--json: ok, findings and the decoded token; the token from stdin', async () => {
    const run = await doctor(['-', '--json', '--at', '2027-01-15T09:00:00Z'], {
      input: `${token}\n`,
    })
    expect(run.code).toBe(1)
    const out = JSON.parse(run.stdout)
    expect(out.ok).toBe(false)
    expect(out.findings[0]).toMatchObject({ code: 'EXPIRED', severity: 'error', agoraError: 109 })
    const { signature, ...decoded } = decodeToken(token)
    expect(out.token).toEqual({
      ...JSON.parse(JSON.stringify(decoded)),
      signature: Buffer.from(signature).toString('hex'),
    })
    expect(out.token.issueTs).toBe(issueTs)
  })

  it('an RTC token (built by agora-token) for an RTM login: WRONG_SERVICE', async () => {
    const rtc = AgoraRtc.buildTokenWithUid(
      appId,
      cert,
      'room-1',
      42,
      AgoraRtcRole.PUBLISHER,
      3600,
      3600,
    )
    const run = await doctor([rtc, '--service', 'rtm', '--user-id', 'alice', '--json'])
    expect(run.code).toBe(1)
    expect(codes(run)).toEqual(['WRONG_SERVICE', 'SIGNATURE_NOT_CHECKED'])
  })

  it('checks the signature with the certificate from the environment, never printing it', async () => {
    const env = { TOKEN007_APP_CERTIFICATE: otherCert }
    const run = await doctor([token, '--at', during], { env })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/✗ SIGNATURE_INVALID \(error, Agora error 110\)/)
    const good = await doctor([token, '--at', during, '--json'], { env: { APP_CERTIFICATE: cert } })
    expect(codes(good)).toEqual([])
  })

  it('--cert-file: certificates one per line (rotation), comments and blank lines skipped', async () => {
    const file = join(dir, 'certs.txt')
    writeFileSync(file, `# rotation\n${otherCert}\n\n${cert}\n`)
    const run = await doctor([token, '--cert-file', file, '--at', during, '--json'])
    expect(run.code).toBe(0)
    expect(codes(run)).toEqual([])
    writeFileSync(file, `${otherCert}\n`)
    expect(codes(await doctor([token, '--cert-file', file, '--json']))).toContain(
      'SIGNATURE_INVALID',
    )
  })

  it('exits 2 for usage errors, without echoing a value (it could be a certificate)', async () => {
    const bad = join(dir, 'bad.txt')
    writeFileSync(bad, 'my-secret-certificate-value\n')
    const cases: Array<[string[], RegExp]> = [
      [[token, '--cert-file', bad], /line 1: expected 32 hexadecimal characters/],
      [[token, '--cert-file', join(dir, 'missing.txt')], /cannot read ".*missing.txt" \(ENOENT\)/],
      [[token, '--cert', cert, '--cert-file', bad], /line 1 \(certificate #2\): expected 32 hex/],
      [[token, '--uid', 'abc'], /--uid: expected an integer/],
      [[token, '--uid', '1', '--account', 'a'], /cannot be used together/],
      [[token, '--service', 'video'], /--service: expected one of rtc, rtm/],
      [[token, '--role', 'host'], /--role: expected publisher or subscriber/],
      [[token, '--at', 'tomorrow'], /--at: expected an ISO 8601 time/],
      [[token, '--cert=my-secret-certificate-value'], /--cert/],
      [[token, '--colour'], /unknown option --colour/],
      [[token, token], /expected one token/],
    ]
    for (const [args, message] of cases) {
      const run = await doctor(args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr, args.join(' ')).toMatch(message)
      expect(run.stderr + run.stdout).not.toContain('my-secret-certificate-value')
    }
  })

  it('an unreadable token exits 1 with MALFORMED and a hint', async () => {
    const run = await doctor([encodeURIComponent(token)])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/✗ MALFORMED[\s\S]*URL escapes/)
  })

  it('escapes control and bidi characters that come from the token', async () => {
    const hostile = buildToken({
      appId,
      appCertificate: cert,
      issueTs,
      salt: 1,
      expire: 3600,
      services: [
        {
          type: 'rtc',
          channelName: 'a\u001b[2Jb\u202ec',
          uid: 42,
          privileges: { joinChannel: 3600 },
        },
      ],
    })
    const run = await doctor([hostile, '--channel', 'x', '--at', during])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('"a\\u001b[2Jb\\u202ec"')
    expect(run.stdout).not.toMatch(/[\u001b\u202e]/)
  })

  it('is listed in token007 --help, with its own --help', async () => {
    const help = await doctor(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: token007 doctor/)
  })

  afterAll(() => {
    for (const run of runs) {
      expect(run.stdout + run.stderr).not.toContain(cert)
      expect(run.stdout + run.stderr).not.toContain(otherCert)
    }
  })
})
