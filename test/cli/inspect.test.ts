// token007 inspect, in-process through main(args, io). Expected values come from the vectors
// (what the reference implementations wrote) and from the library's own decodeToken, which the
// vector suites check; `--json` outputs are parsed and compared with both.
import { createHmac } from 'node:crypto'
import { crc32, deflateSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeToken, legacy } from '../../src/index.js'
import {
  CREDENTIALS,
  PINNED,
  asJson,
  cli,
  expectNoCertificatePrinted,
  expectOneLineError,
  iso,
} from '../helpers/cli.js'
import {
  otherCertificate,
  sortedByType,
  toDecodedService,
  vectorFiles,
} from '../helpers/vectors.js'

const generators007 = vectorFiles('accesstoken2')
const generators006 = vectorFiles('accesstoken006')
const pythonBuilders = vectorFiles('accesstoken2-builders').find((f) =>
  f.file.startsWith('python3.'),
)!
const EXTRA_CERTIFICATES: string[] = []

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

  it('flags a token issued in the future beyond the clock tolerance (default 60 s, --clock-tolerance)', async () => {
    const token = (await cli(['build', 'fpa', ...CREDENTIALS, ...PINNED])).stdout.trim()
    const inspect = async (at: string, ...more: string[]) => {
      const [text, json] = await Promise.all([
        cli(['inspect', token, '--at', at, ...more]),
        cli(['inspect', token, '--at', at, '--json', ...more]),
      ])
      expect(text.code).toBe(0)
      return { text: text.stdout, flagged: JSON.parse(json.stdout).inspection.issuedInFuture }
    }
    const hourBefore = await inspect('2029-12-31T23:00:00Z')
    expect(hourBefore.flagged).toBe(true)
    expect(hourBefore.text).toContain(
      '  issued at    2030-01-01T00:00:00.000Z  (in 1h: IN THE FUTURE, beyond the clock tolerance; check the clocks)',
    )
    const withinDefault = await inspect('2029-12-31T23:59:30Z')
    expect(withinDefault.flagged).toBe(false)
    expect(withinDefault.text).toContain('  issued at    2030-01-01T00:00:00.000Z  (in 30s)\n')
    expect((await inspect('2029-12-31T23:59:30Z', '--clock-tolerance', '10s')).flagged).toBe(true)
    expect((await inspect('2029-12-31T23:00:00Z', '--clock-tolerance', '2h')).flagged).toBe(false)
    expect((await inspect('2030-01-01T00:00:00Z')).flagged).toBe(false)
  })

  it('shows times in UTC, and also in local time when the Io has a local zone (a terminal)', async () => {
    const token = (await cli(['build', 'fpa', ...CREDENTIALS, ...PINNED])).stdout.trim()
    const at = ['--at', '2030-01-01T00:30:00Z']
    const local = await cli(['inspect', token, ...at], { localTimeZone: 'Asia/Tokyo' })
    expect(local.stdout).toContain(
      '  issued at    2030-01-01T00:00:00.000Z (2030-01-01 09:00:00 GMT+9)  (30m ago)\n',
    )
    expect(local.stdout).toContain(
      '  expires at   2030-01-01T01:00:00.000Z (2030-01-01 10:00:00 GMT+9)  (expires in 30m)\n',
    )
    const utc = await cli(['inspect', token, ...at])
    expect(utc.stdout).toContain('  issued at    2030-01-01T00:00:00.000Z  (30m ago)\n')
  })

  it('--at takes now and offsets from the clock', async () => {
    const token = (await cli(['build', 'fpa', ...CREDENTIALS, ...PINNED])).stdout.trim()
    const now = Date.UTC(2030, 0, 1, 0, 10)
    const run = async (...args: string[]) =>
      JSON.parse((await cli(['inspect', token, '--json', ...args], { now })).stdout).inspection.at
    expect(await run()).toBe('2030-01-01T00:10:00.000Z')
    expect(await run('--at', 'now')).toBe('2030-01-01T00:10:00.000Z')
    expect(await run('--at', '+2h')).toBe('2030-01-01T02:10:00.000Z')
    expect(await run('--at', '-30m')).toBe('2029-12-31T23:40:00.000Z')
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

  it('checks a 006 signature only with the channel and uid it covers; without them, exit 1 and say what to pass', async () => {
    const v = generators006[0].vectors.find((x: any) => /^[1-9]\d*$/.test(x.uid))!
    for (const wrong of [v.appCertificate, otherCertificate(v.appCertificate)]) {
      const without = await cli(['inspect', v.token, '--cert', wrong])
      // A check that was asked for and could not run is not a success.
      expect(without.code).toBe(1)
      expect(without.stdout).toContain(
        'NOT CHECKED: a 006 signature covers the channel name and uid',
      )
      expect(without.stderr).toBe(
        'token007 inspect: the signature was not checked: a 006 signature covers the channel name and uid, which the token holds only as CRC-32s: pass --channel and --uid (or --account)\n',
      )
      const json = await cli(['inspect', v.token, '--json', '--cert', wrong])
      expect(json.code).toBe(1)
      expect(JSON.parse(json.stdout).inspection.signature).toMatchObject({ checked: false })
    }
    // Without --cert nothing was asked: the token is decoded, exit 0.
    expect((await cli(['inspect', v.token])).code).toBe(0)
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

  it('--channel, --uid and --account are for 006 tokens: a usage error with a 007 token', async () => {
    const token = (await cli(['build', 'fpa', ...CREDENTIALS, ...PINNED])).stdout.trim()
    for (const flag of [
      ['--channel', 'c'],
      ['--uid', '1'],
      ['--account', 'a'],
    ]) {
      expectOneLineError(
        await cli(['inspect', token, ...flag]),
        2,
        /^token007 inspect: --channel, --uid and --account apply to 006 tokens/,
      )
    }
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

afterAll(() => expectNoCertificatePrinted(EXTRA_CERTIFICATES))
