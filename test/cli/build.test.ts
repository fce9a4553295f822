// token007 build, in-process through main(args, io): byte for byte the references' tokens
// (the builder vectors), and its usage errors.
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
} from '../helpers/cli.js'
import { otherCertificate, vectorFiles } from '../helpers/vectors.js'

const [nodeBuilders, pythonBuilders] = ['node.', 'python3.'].map(
  (prefix) => vectorFiles('accesstoken2-builders').find((f) => f.file.startsWith(prefix))!,
)
const OTHER_CERT = otherCertificate(CERT)
const EXTRA_CERTIFICATES = [OTHER_CERT]

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
      // The references' inputs include what the guards refuse (upper-case certificates, uid
      // strings '0', lifetimes over 24 h): reproduce them as the references do.
      '--no-guards',
      '--max-lifetime',
      '4294967295',
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

  it('the guards apply to the CLI; --no-guards and --max-lifetime reproduce what they refuse', async () => {
    const account0 = [
      'build',
      'rtc',
      ...CREDENTIALS,
      ...PINNED,
      '--channel',
      'room-1',
      '--role',
      'publisher',
    ]
    const guarded = await cli([...account0, '--account', '0'])
    expect(guarded.code).toBe(2)
    expect(guarded.stderr).toMatch(/"0"/)
    const lenient = await cli([...account0, '--account', '0', '--no-guards'])
    expect(lenient.code).toBe(0)
    const rtc = decodeToken(lenient.stdout.trim())
    expect(rtc.version === '007' && rtc.services[0]).toMatchObject({ type: 'rtc', uid: '0' })

    const week = [...account0, '--uid', '42', '--expires-in', '7d']
    expect((await cli(week)).code).toBe(2)
    const raised = await cli([...week, '--max-lifetime', '7d'])
    expect(raised.code).toBe(0)
    const decoded = decodeToken(raised.stdout.trim())
    expect(decoded.version === '007' && decoded.expire).toBe(7 * 86400)
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

  it('takes credentials from AGORA_APP_ID/_CERTIFICATE, else TOKEN007_*, else APP_ID/APP_CERTIFICATE', async () => {
    const args = ['build', 'rtm', '--user-id', 'alice', ...PINNED]
    const expected = (await cli([...args, ...CREDENTIALS])).stdout
    expect(expected).toMatch(/^007\S+\n$/)
    for (const [id, cert] of [
      ['AGORA_APP_ID', 'AGORA_APP_CERTIFICATE'],
      ['TOKEN007_APP_ID', 'TOKEN007_APP_CERTIFICATE'],
      ['APP_ID', 'APP_CERTIFICATE'],
    ]) {
      const run = await cli(args, { env: { [id]: APP_ID, [cert]: CERT } })
      expect(run.stdout, id).toBe(expected)
    }
    const all = await cli(args, {
      env: {
        AGORA_APP_ID: APP_ID,
        AGORA_APP_CERTIFICATE: CERT,
        TOKEN007_APP_ID: 'e'.repeat(32),
        TOKEN007_APP_CERTIFICATE: OTHER_CERT,
        APP_ID: 'f'.repeat(32),
        APP_CERTIFICATE: OTHER_CERT,
      },
    })
    expect(all.stdout).toBe(expected)
    const older = await cli(args, {
      env: {
        TOKEN007_APP_ID: APP_ID,
        TOKEN007_APP_CERTIFICATE: CERT,
        APP_ID: 'f'.repeat(32),
        APP_CERTIFICATE: OTHER_CERT,
      },
    })
    expect(older.stdout).toBe(expected)
    const flagWins = await cli([...args, '--cert', CERT], {
      env: { AGORA_APP_ID: APP_ID, AGORA_APP_CERTIFICATE: OTHER_CERT },
    })
    expect(flagWins.stdout).toBe(expected)
    const fileWins = await cli([...args, '--cert-file', 'cert.txt'], {
      env: { AGORA_APP_ID: APP_ID, AGORA_APP_CERTIFICATE: OTHER_CERT },
      files: { 'cert.txt': `  ${CERT}\n` },
    })
    expect(fileWins.stdout).toBe(expected)
    const stdin = await cli([...args, '--cert', '-'], {
      env: { AGORA_APP_ID: APP_ID },
      input: `${CERT}\n`,
    })
    expect(stdin.stdout).toBe(expected)
  })

  it('--cert-file and --cert - describe a bad certificate by its shape only', async () => {
    const bad = `${CERT.slice(0, 30)}zz`
    const [file, stdin, twice] = await Promise.all([
      cli(['build', 'fpa', '--app-id', APP_ID, '--cert-file', 'c.txt'], {
        files: { 'c.txt': bad },
      }),
      cli(['build', 'fpa', '--app-id', APP_ID, '--cert', '-'], { input: bad }),
      cli(['build', 'fpa', '--app-id', APP_ID, '--cert', '-', '--cert', '-'], { input: CERT }),
    ])
    expect(file.stderr).toBe(
      'token007 build: --cert-file "c.txt" line 1: expected 32 hexadecimal characters, got a string of 32 characters that are not all hexadecimal (see token007 build --help)\n',
    )
    expect(stdin.stderr).toMatch(/^token007 build: --cert - \(stdin\): expected 32 hexadecimal/)
    expect(twice.stderr).toMatch(/--cert - can be given once/)
    for (const run of [file, stdin]) expect(run.stderr).not.toContain(bad.slice(0, 8))
  })

  it('did you mean: an unknown flag or kind names the close ones', async () => {
    const rtc = ['build', 'rtc', ...CREDENTIALS]
    await expectErrors([
      [[...rtc, '--chanel', 'c'], 2, /unknown option --chanel; did you mean --channel\? \(see/],
      [
        [...rtc, '--expire', '1h'],
        2,
        /unknown option --expire; did you mean --expires-in or --expires-at\?/,
      ],
      [[...rtc, '--rol', 'publisher'], 2, /did you mean --role\?/],
      [['build', 'rtcc'], 2, /unknown kind "rtcc"; expected one of .*; did you mean rtc\?/],
      [['verfy'], 2, /unknown command "verfy"; .*; did you mean verify\?/],
      [[...rtc, '--zzz'], 2, /unknown option --zzz \(see token007 build --help\)\n$/],
    ])
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

afterAll(() => expectNoCertificatePrinted(EXTRA_CERTIFICATES))
