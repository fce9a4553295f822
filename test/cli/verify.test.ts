// token007 verify, in-process through main(args, io), against the vectors.
import { afterAll, describe, expect, it } from 'vitest'
import { decodeToken, verifyToken } from '../../src/index.js'
import {
  APP_ID,
  CERT,
  CREDENTIALS,
  PINNED,
  asJson,
  cli,
  expectErrors,
  expectNoCertificatePrinted,
  expectOneLineError,
  iso,
} from '../helpers/cli.js'
import { otherCertificate, vectorFiles } from '../helpers/vectors.js'

const generators007 = vectorFiles('accesstoken2')
const generators006 = vectorFiles('accesstoken006')
const invalid007 = vectorFiles('accesstoken2-invalid')[0]
const OTHER_CERT = otherCertificate(CERT)
const EXTRA_CERTIFICATES = [OTHER_CERT]

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

  it('honours the app id from the environment (AGORA_APP_ID, TOKEN007_APP_ID, APP_ID); --app-id wins', async () => {
    const other = 'f'.repeat(32)
    for (const name of ['AGORA_APP_ID', 'TOKEN007_APP_ID', 'APP_ID']) {
      const wrong = await verify(['--at', during], { [name]: other })
      expect(wrong.code, name).toBe(1)
      expect(wrong.stderr, name).toMatch(/^token007 verify: rejected: ERR_TOKEN_CLAIM: .*app/)
      expect((await verify(['--at', during], { [name]: rtcVector.appId })).code, name).toBe(0)
    }
    const flag = await verify(['--at', during, '--app-id', rtcVector.appId], {
      AGORA_APP_ID: other,
    })
    expect(flag.code).toBe(0)
  })

  it('a URL-encoded token, or one whose + became a space, gets a hint', async () => {
    const v = generators007.flatMap((f) => f.vectors).find((x: any) => x.token.includes('+'))!
    const token = v.token as string
    const encoded = encodeURIComponent(token)
    const spaced = token.replace(/\+/g, ' ')
    expect(spaced).not.toBe(token)
    for (const command of ['verify', 'inspect']) {
      const [e, s] = await Promise.all([
        cli([command, encoded, '--cert', v.appCertificate]),
        cli([command, spaced, '--cert', v.appCertificate]),
      ])
      expect(e.code).toBe(1)
      expect(e.stderr).toMatch(
        /ERR_TOKEN_MALFORMED: .*; the token looks URL-encoded .*decodeURIComponent/,
      )
      expect(s.code).toBe(1)
      expect(s.stderr).toMatch(
        /ERR_TOKEN_MALFORMED: .*; the token holds spaces: a query string turns \+ into a space/,
      )
    }
    const plain = await cli(['inspect', `${token.slice(0, -8)}!!!!!!!!`])
    expect(plain.stderr).not.toMatch(/URL-encoded|spaces/)
  })

  it('usage errors exit 2 and name the flag', async () => {
    const t = rtcVector.token
    const c = ['verify', t, '--cert', CERT]
    await expectErrors([
      [
        ['verify', t],
        2,
        /no app certificate: pass --cert <hex>, --cert - \(stdin\) or --cert-file <path>, or set AGORA_APP_CERTIFICATE/,
      ],
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

afterAll(() => expectNoCertificatePrinted(EXTRA_CERTIFICATES))
