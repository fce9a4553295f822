// The `token007` command line, run as its users run it: the built dist/cli.js in a child process,
// with real argv, stdin, environment and exit codes. Expected values come from the vectors (what
// the reference implementations wrote) and from the library's own decodeToken, which the vector
// suites check; `--json` outputs are parsed and compared with both.
import { spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeToken, legacy, verifyToken, type DecodedToken } from '../src/index.js'
import { otherCertificate, sortedByType, toDecodedService, vectorFiles } from './helpers/vectors.js'

const ROOT = join(__dirname, '..')
const CLI = join(ROOT, 'dist', 'cli.js')
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))

function newest(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(...readdirSync(path).map((name) => newest(join(path, name))))
}

beforeAll(async () => {
  // `npm test` builds first; build here too when dist/cli.js is missing or older than its
  // sources, so that this file also runs on its own. Not unconditionally: tsup cleans dist/.
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

/** Every run of this file: afterAll checks that none of them printed a certificate. */
const runs: Run[] = []

/**
 * Runs `token007 <args>` with `input` on stdin (a pipe, so never a terminal) and an environment
 * holding only PATH and `env`: the developer's own TOKEN007_* / APP_* variables stay out.
 */
function cli(
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
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
    child.stdin.on('error', () => {}) // the CLI may exit before it reads stdin
    child.stdin.end(options.input ?? '')
  })
}

/** A decoded token as the CLI's JSON carries it: Dates as ISO strings, bytes as hex. */
function asJson(decoded: DecodedToken): unknown {
  return JSON.parse(
    JSON.stringify(decoded, (_k, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
    ),
  )
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString()

/** The shape of a one-line failure: `token007 <command>: …`, one line, no stack trace. */
function expectOneLineError(run: Run, code: number, pattern: RegExp): void {
  expect(run.code).toBe(code)
  expect(run.stdout).toBe('')
  expect(run.stderr).toMatch(pattern)
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1)
  expect(run.stderr).not.toMatch(/\n\s+at /)
}

/** Runs the cases in parallel, then checks each as {@link expectOneLineError}. */
async function expectErrors(
  cases: Array<[args: string[], code: number, pattern: RegExp, env?: Record<string, string>]>,
) {
  const results = await Promise.all(cases.map(([args, , , env]) => cli(args, { env })))
  cases.forEach(([, code, pattern], i) => expectOneLineError(results[i], code, pattern))
  return results
}

const APP_ID = '970ca35de60c44645bbae8a215061b33'
const CERT = '5cfd2fd1755d40ecb72977518be15d3b'
const OTHER_CERT = otherCertificate(CERT)
const DEMO_CERT = 'ffffffffffffffffffffffffffffffff'
const CREDENTIALS = ['--app-id', APP_ID, '--cert', CERT]
const PINNED = ['--issued-at', '2030-01-01T00:00:00Z', '--salt', '7']

const generators007 = vectorFiles('accesstoken2')
const invalid007 = vectorFiles('accesstoken2-invalid')[0]
const generators006 = vectorFiles('accesstoken006')
const [nodeBuilders, pythonBuilders] = ['node.', 'python3.'].map(
  (prefix) => vectorFiles('accesstoken2-builders').find((f) => f.file.startsWith(prefix))!,
)

describe('token007', () => {
  it('--version prints the version of package.json', async () => {
    for (const flag of ['--version', '-v']) {
      const run = await cli([flag])
      expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
    }
  })

  it('--help (and no arguments) lists the commands and exits 0', async () => {
    for (const args of [['--help'], ['-h'], []]) {
      const run = await cli(args)
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(/^token007 \d+\.\d+\.\d+/)
      for (const command of ['inspect', 'verify', 'build', 'demo']) {
        expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'))
      }
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
      /^token007 build: no app id: pass --app-id or set TOKEN007_APP_ID \(or APP_ID\)/,
    )
    const debug = await cli(['build', 'rtc', '--debug'])
    expect(debug.code).toBe(2)
    expect(debug.stderr.split('\n')[0]).toBe(plain.stderr.trimEnd())
    expect(debug.stderr).toMatch(/\n\s+at .*cli\.js/)
  })

  it('prints no colour when stdout is not a terminal', async () => {
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
    const report = await cli(['inspect', run.stdout.trim(), '--cert', CERT])
    expect(report.code).toBe(0)
    expect(report.stdout).not.toContain('\x1b[')
  })
})

describe('token007 inspect', () => {
  // From each generator: its first vector, the one with the most services, and an RTM2 one.
  const picks = generators007.flatMap((file) => {
    const most = [...file.vectors].sort((a, b) => b.services.length - a.services.length)[0]
    const rtm2 = file.vectors.find((v) => v.services.some((s: any) => s.type === 8))
    return [file.vectors[0], most, rtm2].filter(Boolean).map((v) => ({ file: file.file, v }))
  })

  it(`--json gives the decoded token of ${picks.length} vectors from ${generators007.length} generators`, async () => {
    expect(generators007.length).toBeGreaterThanOrEqual(7)
    const results = await Promise.all(picks.map(({ v }) => cli(['inspect', '--json', v.token])))
    picks.forEach(({ file, v }, i) => {
      const run = results[i]
      expect(run.code, `${file} ${v.id}: ${run.stderr}`).toBe(0)
      const { inspection, ...decoded } = JSON.parse(run.stdout)
      expect(decoded).toEqual(asJson(decodeToken(v.token)))
      // What the reference wrote, field by field.
      expect(decoded).toMatchObject({
        version: '007',
        appId: v.appId,
        issueTs: v.issueTs,
        expire: v.expire,
        salt: v.salt,
        issuedAt: iso(v.issueTs),
        expiresAt: iso(v.issueTs + v.expire),
        signature: v.payloadHex.slice(4, 68),
      })
      expect(decoded.services).toEqual(sortedByType(v.services).map(toDecodedService))
      expect(inspection.privilegesExpireAt).toEqual(
        decoded.services.map((s: any) =>
          Object.fromEntries(
            Object.entries(s.privileges).map(([k, n]) => [
              k,
              n === 0 ? null : iso(v.issueTs + (n as number)),
            ]),
          ),
        ),
      )
    })
  })

  it('reports every field in text: times ISO and relative, services, fields, privilege expiry', async () => {
    const v = generators007
      .find((f) => f.file.startsWith('python3.'))!
      .vectors.find(
        (x: any) =>
          x.services.length === 1 &&
          x.services[0].type === 1 &&
          x.services[0].uid !== '' &&
          x.expire === 3600,
      )
    expect(v).toBeDefined()
    const at = iso(v.issueTs + 60)
    const run = await cli(['inspect', v.token, '--at', at])
    expect(run.code).toBe(0)
    const lines = run.stdout.split('\n')
    expect(lines).toContain('AccessToken2 (007)')
    expect(lines).toContain(`  app id       ${v.appId}`)
    expect(lines).toContain(`  issued at    ${iso(v.issueTs)}  (1m ago)`)
    expect(lines).toContain(`  expires at   ${iso(v.issueTs + 3600)}  (expires in 59m)`)
    expect(lines).toContain('  lifetime     3600 s (1h)')
    expect(lines).toContain(`  salt         ${v.salt}`)
    expect(lines).toContain('service 1: rtc (type 1)')
    const rtc = v.services[0]
    expect(lines).toContain(`  channelName  ${JSON.stringify(rtc.channelName)}`)
    expect(lines).toContain(`  uid          ${JSON.stringify(rtc.uid)}`)
    const names: Record<string, string> = {
      1: 'joinChannel',
      2: 'publishAudioStream',
      3: 'publishVideoStream',
      4: 'publishDataStream',
    }
    for (const [id, seconds] of Object.entries(rtc.privileges) as Array<[string, number]>) {
      const line = lines.find((l) => l.trimStart().startsWith(`${names[id]} `))
      expect(line, names[id]).toBeDefined()
      if (seconds === 0) expect(line).toMatch(/0 s {2}→ lasts as long as the token/)
      else expect(line).toContain(`${seconds} s  → ${iso(v.issueTs + seconds)}`)
    }
  })

  it('says "expires in" before the expiry and "expired … ago" after it', async () => {
    const token = (
      await cli([
        'build',
        'rtc',
        ...CREDENTIALS,
        ...PINNED,
        '--channel',
        'c',
        '--uid',
        '1',
        '--role',
        'subscriber',
      ])
    ).stdout.trim()
    const before = await cli(['inspect', token, '--at', '2030-01-01T00:30:00Z'])
    expect(before.stdout).toContain('  expires at   2030-01-01T01:00:00.000Z  (expires in 30m)')
    const after = await cli(['inspect', token, '--at', '2030-01-04T01:00:00Z'])
    expect(after.stdout).toContain('  expires at   2030-01-01T01:00:00.000Z  (expired 3d ago)')
    expect(after.code).toBe(0) // inspect reports; verify judges
    const json = JSON.parse(
      (await cli(['inspect', token, '--json', '--at', '2030-01-04T01:00:00Z'])).stdout,
    )
    expect(json.inspection).toMatchObject({ at: '2030-01-04T01:00:00.000Z', expired: true })
  })

  it('explains a privilege of 0 (FPA login) by verifyToken’s zeroPrivilege policy', async () => {
    const token = (await cli(['build', 'fpa', ...CREDENTIALS, ...PINNED])).stdout.trim()
    const run = await cli(['inspect', token])
    expect(run.stdout).toMatch(/^ {4}login {2}0 s {2}→ lasts as long as the token \(see note\)$/m)
    expect(run.stdout).toMatch(/note: a privilege of 0 .*zeroPrivilege: 'token'.*'expired'/)
    const json = JSON.parse((await cli(['inspect', token, '--json'])).stdout)
    expect(json.inspection.privilegesExpireAt).toEqual([{ login: null }])
  })

  it('shows an RTM2 permission tree', async () => {
    const v = pythonBuilders.vectors.find((x) => x.id.startsWith('pub-b2-0065-'))!
    const run = await cli(['inspect', v.token])
    expect(run.stdout).toContain('service 1: rtm2 (type 8)')
    expect(run.stdout).toContain(
      `    users.read  ${v.args[3]['4']['0'].map((s: string) => JSON.stringify(s)).join(', ')}`,
    )
  })

  it('reports a service type it does not know, and still checks the signature', async () => {
    // A python3 vector's payload with one more service of type 11 appended and re-signed
    // (FORMAT.md "Signing", with node:crypto), deflated with node:zlib.
    const v = generators007.find((f) => f.file.startsWith('python3.'))!.vectors[0]
    const payload = Buffer.from(v.payloadHex, 'hex')
    const info = Buffer.concat([payload.subarray(34), Buffer.from([11, 0, 0xde, 0xad])])
    const countAt = 2 + v.appId.length + 12 // string(appId), issueTs, expire, salt
    info.writeUInt16LE(info.readUInt16LE(countAt) + 1, countAt)
    const u32 = (n: number) => {
      const b = Buffer.alloc(4)
      b.writeUInt32LE(n)
      return b
    }
    const k1 = createHmac('sha256', u32(v.issueTs)).update(v.appCertificate).digest()
    const key = createHmac('sha256', u32(v.salt)).update(k1).digest()
    const signature = createHmac('sha256', key).update(info).digest()
    const content = Buffer.concat([Buffer.from([32, 0]), signature, info])
    const token = '007' + deflateSync(content).toString('base64')

    const run = await cli(['inspect', token, '--cert', v.appCertificate])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`service ${v.services.length + 1}: unknown type 11`)
    expect(run.stdout).toContain('signature valid')
    const json = JSON.parse((await cli(['inspect', token, '--json'])).stdout)
    expect(json.unknownServiceType).toBe(11)
    expect(json.services).toHaveLength(v.services.length)
  })

  it('reads the token from stdin, when it is "-" or not given', async () => {
    const v = generators007[0].vectors[1]
    const expected = JSON.parse(
      (await cli(['inspect', '--json', '--at', '2030-01-01', v.token])).stdout,
    )
    for (const args of [['-'], []]) {
      const run = await cli(['inspect', '--json', '--at', '2030-01-01', ...args], {
        input: `  ${v.token}\n`,
      })
      expect(run.code).toBe(0)
      expect(JSON.parse(run.stdout)).toEqual(expected)
    }
    expectOneLineError(
      await cli(['inspect'], { input: '\n' }),
      2,
      /^token007 inspect: no token on stdin/,
    )
  })

  it('with --cert, or the certificate in the environment, says whether the signature is valid', async () => {
    const v = generators007[0].vectors[2]
    const good = await cli(['inspect', v.token, '--cert', v.appCertificate])
    expect(good.code).toBe(0)
    expect(good.stdout).toContain('  verified     signature valid (made with the certificate)')
    const rotation = await cli([
      'inspect',
      v.token,
      '--cert',
      otherCertificate(v.appCertificate),
      '--cert',
      v.appCertificate,
    ])
    expect(rotation.stdout).toContain('signature valid (made with certificate 2 of 2)')
    for (const name of ['TOKEN007_APP_CERTIFICATE', 'APP_CERTIFICATE']) {
      const fromEnv = await cli(['inspect', v.token], { env: { [name]: v.appCertificate } })
      expect(fromEnv.stdout, name).toContain('signature valid')
    }
    const bad = await cli(['inspect', v.token, '--cert', otherCertificate(v.appCertificate)])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain('  verified     signature INVALID (ERR_TOKEN_SIGNATURE)')
    const json = JSON.parse(
      (await cli(['inspect', v.token, '--json', '--cert', otherCertificate(v.appCertificate)]))
        .stdout,
    )
    expect(json.inspection.signature).toMatchObject({
      checked: true,
      valid: false,
      code: 'ERR_TOKEN_SIGNATURE',
    })
  })

  it('decodes 006 tokens of every generator, with CRCs, absolute privilege times and a migration hint', async () => {
    const picks = generators006.map(
      (f) => f.vectors.find((v: any) => Object.keys(v.privileges).length > 1) ?? f.vectors[0],
    )
    const names: Record<string, string> = {
      1: 'joinChannel',
      2: 'publishAudioStream',
      3: 'publishVideoStream',
      4: 'publishDataStream',
      1000: 'rtmLogin',
    }
    const results = await Promise.all(picks.map((v) => cli(['inspect', '--json', v.token])))
    picks.forEach((v, i) => {
      const { inspection, ...decoded } = JSON.parse(results[i].stdout)
      expect(decoded).toEqual(asJson(decodeToken(v.token)))
      expect(decoded).toMatchObject({
        version: '006',
        appId: v.appId,
        salt: v.salt,
        ts: v.ts,
        crcChannelName: crc32(v.channelName),
        crcUid: crc32(v.uid),
      })
      const privileges = Object.fromEntries(
        Object.entries(v.privileges).map(([id, t]) => [names[id] ?? id, t]),
      )
      expect(decoded.privileges).toEqual(privileges)
      expect(inspection.privilegesExpireAt).toEqual(
        Object.fromEntries(
          Object.entries(privileges).map(([k, t]) => [k, t === 0 ? null : iso(t as number)]),
        ),
      )
      expect(inspection.migration).toBe(legacy.suggest007Call(decodeToken(v.token) as any))
    })

    const v = picks[0]
    const text = await cli(['inspect', v.token])
    expect(text.stdout).toContain('AccessToken (006, legacy)')
    expect(text.stdout).toContain(`  expires at   ${iso(v.ts)}`)
    expect(text.stdout).toContain(`CRC-32 0x${crc32(v.channelName).toString(16).padStart(8, '0')}`)
    for (const line of legacy.suggest007Call(decodeToken(v.token) as any).split('\n')) {
      expect(text.stdout).toContain(`  ${line}\n`)
    }
  })

  it('checks a 006 signature only with the channel and uid it covers', async () => {
    const v = generators006[0].vectors.find((x: any) => /^[1-9]\d*$/.test(x.uid))!
    const without = await cli(['inspect', v.token, '--cert', v.appCertificate])
    expect(without.code).toBe(0)
    expect(without.stdout).toContain('not checked: a 006 signature covers the channel name and uid')
    const withSubject = await cli([
      'inspect',
      v.token,
      '--cert',
      v.appCertificate,
      '--channel',
      v.channelName,
      '--uid',
      v.uid,
    ])
    expect(withSubject.stdout).toContain('signature valid')
  })

  it('an unreadable token exits 1 with its error code on one line', async () => {
    expectOneLineError(
      await cli(['inspect', 'hello']),
      1,
      /^token007 inspect: ERR_TOKEN_VERSION: token starts with "hel"/,
    )
    expectOneLineError(
      await cli(['inspect', '007abc']),
      1,
      /^token007 inspect: ERR_TOKEN_MALFORMED: /,
    )
    expectOneLineError(
      await cli(['inspect', 'a', 'b']),
      2,
      /^token007 inspect: expected one token, got 2 arguments/,
    )
  })
})

describe('token007 verify', () => {
  const python = generators007.find((f) => f.file.startsWith('python3.'))!
  const rtcVector = python.vectors.find(
    (v: any) =>
      v.services.length === 1 &&
      v.services[0].type === 1 &&
      /^[1-9]\d*$/.test(v.services[0].uid) &&
      Object.keys(v.services[0].privileges).length === 4 &&
      v.expire > 60,
  )!
  const rtc = rtcVector.services[0]
  const during = iso(rtcVector.issueTs + 1)
  const after = iso(rtcVector.issueTs + rtcVector.expire)
  const verify = (args: string[], env?: Record<string, string>) =>
    cli(['verify', rtcVector.token, '--cert', rtcVector.appCertificate, ...args], { env })

  it('exits 0 for a valid token and prints one OK line', async () => {
    const run = await verify(['--at', during])
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('')
    expect(run.stdout).toMatch(
      new RegExp(
        `^valid: 007 token for app ${rtcVector.appId}, signed with the certificate; expires in .+\\n$`,
      ),
    )
  })

  it('--json: the verdict, the matching certificate and the decoded token', async () => {
    const run = await cli([
      'verify',
      rtcVector.token,
      '--json',
      '--at',
      during,
      '--cert',
      OTHER_CERT,
      '--cert',
      rtcVector.appCertificate,
    ])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({
      valid: true,
      certificateIndex: 1,
      token: asJson(decodeToken(rtcVector.token)),
    })
  })

  it('checks the channel, uid and privilege asked for', async () => {
    const ok = await verify([
      '--at',
      during,
      '--channel',
      rtc.channelName,
      '--uid',
      rtc.uid,
      '--privilege',
      'publishVideoStream',
    ])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toContain(
      `grants rtc publishVideoStream in ${JSON.stringify(rtc.channelName)} for uid ${rtc.uid}`,
    )
    const channel = await verify(['--at', during, '--channel', `${rtc.channelName}-other`])
    expectOneLineError(
      channel,
      1,
      /^token007 verify: rejected: ERR_TOKEN_CLAIM: token's rtc service is for channelName/,
    )
    const service = await verify(['--at', during, '--user-id', 'alice'])
    expectOneLineError(
      service,
      1,
      /^token007 verify: rejected: ERR_TOKEN_CLAIM: token has no rtm service/,
    )
    const app = await verify(['--at', during, '--app-id', APP_ID])
    expectOneLineError(
      app,
      1,
      /ERR_TOKEN_CLAIM: token is for app .*, not 970ca35de60c44645bbae8a215061b33/,
    )
  })

  it('exits 1 for an expired token (--at), and 0 within --clock-tolerance', async () => {
    expectOneLineError(
      await verify(['--at', after]),
      1,
      /^token007 verify: rejected: ERR_TOKEN_EXPIRED: token expired at /,
    )
    expect((await verify(['--at', after, '--clock-tolerance', '30s'])).code).toBe(0)
    const json = await verify(['--at', after, '--json'])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, code: 'ERR_TOKEN_EXPIRED' })
    expect(json.stderr).toMatch(/^token007 verify: rejected: ERR_TOKEN_EXPIRED/)
  })

  it('exits 1 for a privilege that expired before the token', async () => {
    const token = (
      await cli([
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
        '--privilege-expires-in',
        'publishVideoStream=10m',
      ])
    ).stdout.trim()
    const at = ['--cert', CERT, '--at', '2030-01-01T00:20:00Z', '--channel', 'c']
    expect((await cli(['verify', token, ...at, '--privilege', 'publishAudioStream'])).code).toBe(0)
    expectOneLineError(
      await cli(['verify', token, ...at, '--privilege', 'publishVideoStream']),
      1,
      /ERR_TOKEN_PRIVILEGE: token's rtc privilege publishVideoStream expired at 2030-01-01T00:10:00.000Z/,
    )
  })

  it('exits 1 for a wrong certificate', async () => {
    const run = await cli([
      'verify',
      rtcVector.token,
      '--cert',
      otherCertificate(rtcVector.appCertificate),
      '--at',
      during,
    ])
    expectOneLineError(run, 1, /^token007 verify: rejected: ERR_TOKEN_SIGNATURE: /)
  })

  it('exits 1 for each kind of tampered token in the invalid corpus', async () => {
    const byWhy = new Map<string, any>()
    for (const v of invalid007.vectors) if (!byWhy.has(v.why)) byWhy.set(v.why, v)
    expect(byWhy.size).toBeGreaterThanOrEqual(9)
    const picks = [...byWhy.values()]
    const results = await Promise.all(
      picks.map((v) =>
        cli(['verify', v.token, '--json', '--at', '2030-01-01'], {
          env: { TOKEN007_APP_CERTIFICATE: v.appCertificate },
        }),
      ),
    )
    picks.forEach((v, i) => {
      const run = results[i]
      expect(run.code, `${v.why}: ${run.stderr}`).toBe(1)
      const verdict = JSON.parse(run.stdout)
      expect(verdict.valid).toBe(false)
      let code: string | undefined
      try {
        verifyToken(v.token, v.appCertificate, { currentDate: new Date('2030-01-01') })
      } catch (err) {
        code = (err as { code?: string }).code
      }
      expect(verdict.code, v.why).toBe(code)
      expect(run.stderr).toMatch(new RegExp(`^token007 verify: rejected: ${code}: `))
    })
  })

  it('verifies 006 tokens for the channel and uid they were made for', async () => {
    const v = generators006[0].vectors.find(
      (x: any) => /^[1-9]\d*$/.test(x.uid) && Object.values(x.privileges).every((t) => t === 0),
    )!
    const base = ['verify', v.token, '--cert', v.appCertificate, '--at', iso(v.ts - 60)]
    const ok = await cli([...base, '--channel', v.channelName, '--uid', v.uid])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(/^valid: 006 token for app/)
    expectOneLineError(
      await cli([...base, '--channel', `${v.channelName}x`, '--uid', v.uid]),
      1,
      /ERR_TOKEN_CLAIM: token was made for another channel/,
    )
    expectOneLineError(
      await cli([...base, '--channel', v.channelName]),
      2,
      /a 006 token carries only CRC-32s of its channel and uid/,
    )
    expectOneLineError(
      await cli([
        ...base,
        '--channel',
        v.channelName,
        '--uid',
        v.uid,
        '--privilege',
        'joinChannel',
      ]),
      2,
      /--privilege applies to 007 tokens/,
    )
  })

  it('usage errors exit 2 and name the flag', async () => {
    const t = rtcVector.token
    const c = ['verify', t, '--cert', CERT]
    await expectErrors([
      [['verify', t], 2, /no app certificate: pass --cert or set TOKEN007_APP_CERTIFICATE/],
      [
        ['verify', t, '--cert', 'abc123'],
        2,
        /--cert: expected 32 hexadecimal characters, got a string of 6 characters/,
      ],
      [[...c, '--at', 'yesterday'], 2, /--at: expected an ISO 8601 time/],
      [
        [...c, '--clock-tolerance', 'soon'],
        2,
        /--clock-tolerance: expected a number of seconds or a duration/,
      ],
      [[...c, '--uid', 'alice'], 2, /--uid: expected an integer 0\.\.4294967295; use --account/],
      [[...c, '--service', 'video'], 2, /--service: expected one of rtc, rtm/],
      [
        [...c, '--privilege', 'fly', '--channel', 'c'],
        2,
        /--privilege: expected a privilege name of rtc/,
      ],
      [[...c, '--privilege', 'login'], 2, /--privilege needs --service/],
      [
        [...c, '--user-id', 'a', '--service', 'rtc'],
        2,
        /--user-id does not apply to a rtc service/,
      ],
      [[...c, '--zero-privilege', 'never'], 2, /--zero-privilege: expected 'token' or 'expired'/],
      [[...c, '--app-id', 'nope'], 2, /--app-id: expected 32 hexadecimal characters/],
      [['verify', t, CERT], 2, /expected one token, got 2 arguments/],
    ])
  })
})

describe('token007 build', () => {
  /** A builder vector by number, and its credentials and pinned clock and salt as flags. */
  function vector(file: typeof pythonBuilders, n: string) {
    const v = file.vectors.find((x) => x.id.startsWith(`pub-b2-${n}-`))!
    const flags = [
      '--app-id',
      v.args[0],
      '--cert',
      v.args[1],
      '--issued-at',
      new Date(v.clockMs).toISOString(),
      '--salt',
      String(v.salt),
    ]
    return { v, flags }
  }

  it('makes the references’ tokens byte for byte, flags mirroring the typed API', async () => {
    const cases: Array<[string, string[]]> = [
      // buildTokenWithUid(…, uid 1, PUBLISHER, 600, 600)
      [
        '0096',
        [
          'rtc',
          '--uid',
          '1',
          '--role',
          'publisher',
          '--expires-in',
          '600',
          '--privilege-expires-in',
          '10m',
        ],
      ],
      // buildTokenWithUidAndPrivilege: per-privilege lifetimes
      [
        '0060',
        [
          'rtc',
          '--uid',
          '4294967295',
          '--role',
          'publisher',
          '--expires-in',
          '1h',
          '--privilege-expires-in',
          'publishAudioStream=1d',
          '--privilege-expires-in',
          'publishVideoStream=1',
          '--privilege-expires-in',
          'publishDataStream=1s',
        ],
      ],
      // buildTokenWithRtm
      [
        '0043',
        [
          'rtc',
          '--channel',
          'A',
          '--account',
          '🙂user',
          '--role',
          'publisher',
          '--expires-in',
          '1',
          '--privilege-expires-in',
          '1h',
          '--rtm-user-id',
          '🙂user',
        ],
      ],
      ['0101', ['rtm', '--user-id', 'Bob Smith', '--expires-in', '1h']],
      ['0009', ['chat', '--user-id', '2686929644', '--expires-in', '1']],
      ['0010', ['chat', '--app', '--expires-in', '4294967295']],
      [
        '0014',
        [
          'apaas',
          '--room-uuid',
          '1',
          '--user-uuid',
          '👩‍👩‍👧',
          '--role',
          '1',
          '--expires-in',
          '10m',
        ],
      ],
      ['0012', ['apaas', '--user-uuid', 'Ünïcödé', '--expires-in', '24h']],
      ['0013', ['apaas', '--app', '--expires-in', '600']],
      ['0017', ['fpa', '--expires-in', '24h']],
    ]
    const results = await Promise.all(
      cases.map(([n, args]) => {
        const { v, flags } = vector(pythonBuilders, n)
        // --channel=… : a channel name may start with '-'.
        const channel =
          args[0] === 'rtc' && !args.includes('--channel') ? [`--channel=${v.args[2]}`] : []
        return cli(['build', ...args, ...channel, ...flags])
      }),
    )
    cases.forEach(([n], i) => {
      expect(results[i].stderr, n).toBe('')
      expect(results[i].stdout, n).toBe(`${vector(pythonBuilders, n).v.token}\n`)
    })
  })

  it('RTM2 permissions from --permissions JSON (python3 pub-b2-0065)', async () => {
    const { v, flags } = vector(pythonBuilders, '0065')
    const byId = v.args[3]
    const permissions = {
      serverGroups: { read: byId['3']['0'] },
      users: { read: byId['4']['0'], write: byId['4']['1'] },
    }
    const run = await cli([
      'build',
      'rtm',
      '--user-id',
      'test_user@example.com',
      '--permissions',
      JSON.stringify(permissions),
      '--expires-in',
      '3600',
      ...flags,
    ])
    expect(run.stdout).toBe(`${v.token}\n`)
  })

  it('agent tokens: convoai with an RTM user (node pub-b2-0037, same payload)', async () => {
    const { v, flags } = vector(nodeBuilders, '0037')
    const run = await cli([
      'build',
      'convoai',
      '--channel',
      'नमस्ते',
      '--account',
      '0',
      '--role',
      'subscriber',
      '--expires-in',
      '600',
      '--privilege-expires-in',
      'joinChannel=600',
      '--rtm-user-id',
      '4294967295',
      '--rtm-expires-in',
      '1h',
      ...flags,
    ])
    expect(run.code, run.stderr).toBe(0)
    const token = run.stdout.trim()
    expect(asJson(decodeToken(token))).toEqual(asJson(decodeToken(v.token)))
  })

  it('--json prints the token and its decoded form', async () => {
    const run = await cli([
      'build',
      'rtc',
      ...CREDENTIALS,
      ...PINNED,
      '--channel',
      'room-1',
      '--uid',
      '42',
      '--role',
      'publisher',
      '--json',
    ])
    const out = JSON.parse(run.stdout)
    expect(Object.keys(out)).toEqual(['token', 'decoded'])
    expect(out.decoded).toEqual(asJson(decodeToken(out.token)))
    expect(out.decoded).toMatchObject({
      appId: APP_ID,
      issuedAt: '2030-01-01T00:00:00.000Z',
      expire: 3600,
      salt: 7,
    })
    expect(
      verifyToken(out.token, CERT, { currentDate: new Date('2030-01-01T00:30:00Z') }).appId,
    ).toBe(APP_ID)
  })

  it('takes credentials from TOKEN007_APP_ID/_CERTIFICATE, else APP_ID/APP_CERTIFICATE', async () => {
    const args = ['build', 'rtm', '--user-id', 'alice', ...PINNED]
    const expected = (await cli([...args, ...CREDENTIALS])).stdout
    expect(expected).toMatch(/^007\S+\n$/)
    const env007 = await cli(args, {
      env: { TOKEN007_APP_ID: APP_ID, TOKEN007_APP_CERTIFICATE: CERT },
    })
    expect(env007.stdout).toBe(expected)
    const community = await cli(args, { env: { APP_ID, APP_CERTIFICATE: CERT } })
    expect(community.stdout).toBe(expected)
    const both = await cli(args, {
      env: {
        TOKEN007_APP_ID: APP_ID,
        TOKEN007_APP_CERTIFICATE: CERT,
        APP_ID: 'f'.repeat(32),
        APP_CERTIFICATE: OTHER_CERT,
      },
    })
    expect(both.stdout).toBe(expected)
    const flagWins = await cli([...args, '--cert', CERT], {
      env: { TOKEN007_APP_ID: APP_ID, TOKEN007_APP_CERTIFICATE: OTHER_CERT },
    })
    expect(flagWins.stdout).toBe(expected)
  })

  it('a token from the real clock expires after --expires-in', async () => {
    const before = Math.floor(Date.now() / 1000)
    const run = await cli([
      'build',
      'chat',
      '--user-id',
      'alice',
      '--expires-in',
      '2h',
      ...CREDENTIALS,
    ])
    const decoded = decodeToken(run.stdout.trim())
    if (decoded.version !== '007') throw new Error('expected 007')
    expect(decoded.expire).toBe(7200)
    expect(decoded.issueTs).toBeGreaterThanOrEqual(before)
    expect(decoded.issueTs).toBeLessThanOrEqual(Math.floor(Date.now() / 1000))
    expect(decoded.services).toEqual([
      { type: 'chat', userId: 'alice', privileges: { user: 7200 } },
    ])
  })

  it('usage errors exit 2, name the flag, and never show the certificate', async () => {
    const b = (...args: string[]) => ['build', ...args, ...CREDENTIALS]
    const rtc = (...args: string[]) => b('rtc', '--channel', 'c', ...args)
    const [shortCert] = await expectErrors([
      [
        ['build', 'fpa', '--app-id', APP_ID, '--cert', CERT.slice(0, 31)],
        2,
        /--cert: expected 32 hexadecimal characters, got a string of 31 characters/,
      ],
      [
        ['build', 'fpa', '--app-id', APP_ID],
        2,
        /TOKEN007_APP_CERTIFICATE: expected 32 hexadecimal characters, got a string of 34 characters/,
        { TOKEN007_APP_CERTIFICATE: `${CERT}zz` },
      ],
      [
        ['build'],
        2,
        /^token007 build: build needs a kind: rtc, rtm, chat, apaas, fpa, convoai, stt/,
      ],
      [b('video'), 2, /unknown kind "video"/],
      [b('rtc', '--uid', '1', '--role', 'publisher'), 2, /--channel is required/],
      [rtc('--role', 'publisher'), 2, /--uid <n> or --account <name> is required/],
      [rtc('--uid', '1'), 2, /--role is required \(publisher or subscriber\)/],
      [rtc('--uid', '1', '--role', 'admin'), 2, /--role: expected 'publisher' or 'subscriber'/],
      [
        rtc('--uid', '1', '--account', 'a', '--role', 'publisher'),
        2,
        /--uid and --account cannot be used together/,
      ],
      [
        rtc(
          '--uid',
          '1',
          '--role',
          'publisher',
          '--privilege-expires-in',
          '1h',
          '--privilege-expires-in',
          'joinChannel=1h',
        ),
        2,
        /--privilege-expires-in: give one duration for all privileges, or only <privilege>=<duration> pairs/,
      ],
      [
        rtc('--uid', '1', '--role', 'publisher', '--privilege-expires-in', 'fly=1h'),
        2,
        /^token007 build: --privilege-expires-in: expected keys among joinChannel/,
      ],
      [
        b('rtc', '--channel', 'undefined', '--uid', '1', '--role', 'publisher'),
        2,
        /^token007 build: --channel: got the string "undefined"/,
      ],
      [
        b('rtm', '--user-id', 'a', '--expires-in', '1750000000'),
        2,
        /--expires-in 1750000000 looks like an absolute time/,
      ],
      [
        b('rtm', '--user-id', 'a', '--expires-in', '1h', '--expires-at', '2030-01-01'),
        2,
        /--expires-in and --expires-at cannot be used together/,
      ],
      [b('rtm', '--channel', 'c'), 2, /--channel does not apply to build rtm/],
      [b('rtm', '--user-id', 'a', '--permissions', '{'), 2, /--permissions: expected JSON/],
      [b('chat'), 2, /build chat needs --user-id <id> \(a user token\) or --app/],
      [
        b('apaas', '--room-uuid', 'r'),
        2,
        /^token007 build: --user-uuid: expected a non-empty string/,
      ],
      [
        b('convoai', '--channel', 'c', '--uid', '1', '--role', 'publisher'),
        2,
        /--rtm-user-id is required/,
      ],
      [b('fpa', '--salt=-1'), 2, /--salt: expected an integer 0\.\.4294967295/],
    ])
    expect(shortCert.stderr).not.toContain(CERT.slice(0, 31))
  })
})

describe('token007 demo', () => {
  it('builds, inspects and verifies RTC, RTM and Chat tokens with labelled demo credentials', async () => {
    const run = await cli(['demo'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('DEMO credentials — not valid with Agora')
    const tokens = [
      ...run.stdout.matchAll(/^\$ (\w+)_TOKEN=\$\(token007 build .*\)\n {2}(007\S+)$/gm),
    ].map((m) => [m[1], m[2]])
    expect(tokens.map(([name]) => name)).toEqual(['RTC', 'RTM', 'CHAT'])
    const [rtc, rtm, chat] = tokens.map(([, token]) => verifyToken(token, DEMO_CERT))
    const services = [rtc, rtm, chat].map((t) => (t.version === '007' ? t.services : []))
    expect(services[0]).toMatchObject([{ type: 'rtc', channelName: 'demo-room', uid: '42' }])
    expect(Object.keys(services[0][0].privileges)).toEqual([
      'joinChannel',
      'publishAudioStream',
      'publishVideoStream',
      'publishDataStream',
    ])
    expect(services[1]).toMatchObject([{ type: 'rtm', userId: 'demo-user' }])
    expect(services[2]).toMatchObject([
      { type: 'chat', userId: 'demo-user', privileges: { user: 86400 } },
    ])
    expect(run.stdout.match(/^ {2}valid: 007 token/gm)).toHaveLength(3)
    expect(run.stdout.match(/^ {2}AccessToken2 \(007\)$/gm)).toHaveLength(3)
    // The tampered copy and the other rejections, each with its code.
    expect(run.stdout).toMatch(
      /\$ token007 verify "\$TAMPERED"\n {2}token007 verify: rejected: ERR_TOKEN_\w+: /,
    )
    expect(run.stdout).toMatch(
      /\$ token007 verify "\$FORGED" .*\n {2}token007 verify: rejected: ERR_TOKEN_SIGNATURE: /,
    )
    expect(run.stdout).toContain('rejected: ERR_TOKEN_EXPIRED: ')
    expect(run.stdout).toContain('rejected: ERR_TOKEN_CLAIM: ')
    expect(run.stdout).toContain('export TOKEN007_APP_CERTIFICATE=<your app certificate>')
    expect(run.stdout.toLowerCase()).not.toContain(DEMO_CERT)
  })
})

// Last in this file (tests run in order): everything every run above printed.
describe('no certificate is ever printed', () => {
  it('in any stdout or stderr of this file, in either case', () => {
    const certificates = new Set([CERT, OTHER_CERT, DEMO_CERT])
    const files = [
      ...vectorFiles('accesstoken2'),
      ...vectorFiles('accesstoken2-builders'),
      ...vectorFiles('accesstoken006'),
      invalid007,
    ]
    for (const file of files) {
      for (const v of file.vectors)
        certificates.add((v.appCertificate ?? v.args?.[1]).toLowerCase())
    }
    expect(runs.length).toBeGreaterThan(80)
    for (const run of runs) {
      const text = `${run.stdout}\n${run.stderr}`.toLowerCase()
      for (const certificate of certificates)
        expect(text.includes(certificate), certificate).toBe(false)
    }
  })
})
