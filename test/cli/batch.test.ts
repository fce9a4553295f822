// token007 build <kind> --count N (src/cli/batch.ts), in-process: every record is the token a
// single build makes for the same flags (which the builder vectors check byte for byte), the
// formats parse back, a bad template value stops the run before anything is written, output
// waits for the stream, and a broken pipe ends quietly.
import { afterAll, describe, expect, it } from 'vitest'
import { decodeToken, verifyToken } from '../../src/index.js'
import {
  APP_ID,
  CERT,
  CREDENTIALS,
  PINNED,
  cli,
  expectErrors,
  expectNoCertificatePrinted,
} from '../helpers/cli.js'

const RTC = ['build', 'rtc', ...CREDENTIALS, '--role', 'publisher']

/** Records of JSON lines. */
function jsonl(text: string): any[] {
  expect(text.endsWith('\n')).toBe(true)
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line))
}

/** An RFC 4180 parser (CRLF rows, quoted fields with doubled quotes), for checking our output. */
function csv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let at = 0; at < text.length; at++) {
    const c = text[at]
    if (quoted) {
      if (c === '"' && text[at + 1] === '"') {
        field += '"'
        at++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\r' && text[at + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      at++
    } else field += c
  }
  expect(field).toBe('')
  expect(row).toEqual([])
  return rows
}

function rtcService(token: string) {
  const decoded = decodeToken(token)
  if (decoded.version !== '007') throw new Error('expected 007')
  return { decoded, service: decoded.services[0] as any }
}

describe('build --count', () => {
  it('jsonl (the default): one record per line, {i} from --start, each token for its channel and uid', async () => {
    const run = await cli([
      ...RTC,
      '--count',
      '25',
      '--start',
      '990',
      '--channel',
      'load-{i%4}',
      '--uid',
      '{i+1000}',
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toBe('')
    const records = jsonl(run.stdout)
    expect(records.map((r) => r.i)).toEqual(Array.from({ length: 25 }, (_, n) => 990 + n))
    for (const r of records) {
      expect(Object.keys(r)).toEqual(['i', 'channelName', 'uid', 'token', 'expiresAt'])
      expect(r.channelName).toBe(`load-${r.i % 4}`)
      expect(r.uid).toBe(r.i + 1000)
      const { decoded, service } = rtcService(r.token)
      expect(service).toMatchObject({ type: 'rtc', channelName: r.channelName, uid: String(r.uid) })
      expect(r.expiresAt).toBe(new Date((decoded.issueTs + decoded.expire) * 1000).toISOString())
      expect(
        verifyToken(r.token, CERT, { currentDate: new Date(decoded.issueTs * 1000) }).appId,
      ).toBe(APP_ID)
    }
    // A fresh salt for every record.
    expect(new Set(records.map((r) => rtcService(r.token).decoded.salt)).size).toBe(25)
  })

  it('each record is byte for byte the token of a single build with the same flags', async () => {
    const batch = await cli([
      ...RTC,
      ...PINNED,
      '--count',
      '12',
      '--channel',
      'room-{i}',
      '--account',
      'bot-{i+7}',
      '--privilege-expires-in',
      'joinChannel={i+600}',
      '--privilege-expires-in',
      'publishAudioStream=1h',
      '--rtm-user-id',
      'u{i}',
    ])
    expect(batch.code, batch.stderr).toBe(0)
    const records = jsonl(batch.stdout)
    expect(records).toHaveLength(12)
    for (const r of records) {
      expect(Object.keys(r)).toEqual(['i', 'channelName', 'uid', 'userId', 'token', 'expiresAt'])
      const single = await cli([
        ...RTC,
        ...PINNED,
        '--channel',
        `room-${r.i}`,
        '--account',
        `bot-${r.i + 7}`,
        '--privilege-expires-in',
        `joinChannel=${r.i + 600}`,
        '--privilege-expires-in',
        'publishAudioStream=1h',
        '--rtm-user-id',
        `u${r.i}`,
      ])
      expect(r.token).toBe(single.stdout.trim())
      expect(r).toMatchObject({
        channelName: `room-${r.i}`,
        uid: `bot-${r.i + 7}`,
        userId: `u${r.i}`,
      })
      expect(r.expiresAt).toBe('2030-01-01T01:00:00.000Z')
    }
  })

  it('templates reach number options (--expires-in, --salt) and the strings in --permissions JSON', async () => {
    const permissions = JSON.stringify({ messageChannels: { read: ['room-{i}', 'lobby'] } })
    const run = await cli([
      'build',
      'rtm',
      ...CREDENTIALS,
      '--issued-at',
      '2030-01-01T00:00:00Z',
      '--count',
      '3',
      '--user-id',
      'bot-{i}',
      '--permissions',
      permissions,
      '--expires-in',
      '{i+60}',
      '--salt',
      '{i+1}',
    ])
    expect(run.code, run.stderr).toBe(0)
    for (const r of jsonl(run.stdout)) {
      expect(Object.keys(r)).toEqual(['i', 'userId', 'token', 'expiresAt'])
      const decoded = decodeToken(r.token)
      if (decoded.version !== '007') throw new Error('expected 007')
      expect(decoded).toMatchObject({ expire: r.i + 60, salt: r.i + 1 })
      expect(decoded.services[0]).toMatchObject({
        type: 'rtm2',
        userId: `bot-${r.i}`,
        permissions: { messageChannels: { read: [`room-${r.i}`, 'lobby'] } },
      })
      expect(r.expiresAt).toBe(new Date(Date.UTC(2030, 0, 1) + (r.i + 60) * 1000).toISOString())
    }
  })

  it('csv: a header, then RFC 4180 rows (CRLF, quoted commas and quotes)', async () => {
    const run = await cli([
      ...RTC,
      '--count',
      '3',
      '--channel',
      'a,"b" {i}',
      '--uid',
      '{i}',
      '--format',
      'csv',
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout.startsWith('i,channelName,uid,token,expiresAt\r\n')).toBe(true)
    expect(run.stdout).toContain('"a,""b"" 0"')
    const [header, ...rows] = csv(run.stdout)
    expect(header).toEqual(['i', 'channelName', 'uid', 'token', 'expiresAt'])
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['0', 'a,"b" 0', '0'],
      ['1', 'a,"b" 1', '1'],
      ['2', 'a,"b" 2', '2'],
    ])
    for (const [, channelName, uid, token, expiresAt] of rows) {
      const { decoded, service } = rtcService(token)
      expect(service).toMatchObject({ channelName, uid: uid === '0' ? '' : uid })
      expect(expiresAt).toBe(new Date((decoded.issueTs + decoded.expire) * 1000).toISOString())
    }
  })

  it('tokens: one token per line; -o writes a file and nothing to stdout', async () => {
    const args = [...RTC, ...PINNED, '--count', '4', '--channel', 'c{i}', '--uid', '1']
    const tokens = await cli([...args, '--format', 'tokens'])
    expect(tokens.stdout.trimEnd().split('\n')).toEqual(
      jsonl((await cli(args)).stdout).map((r) => r.token),
    )
    const file = await cli([...args, '--format', 'tokens', '-o', 'out.txt'])
    expect(file).toMatchObject({ code: 0, stdout: '', stderr: '' })
    expect(file.files['out.txt']).toBe(tokens.stdout)
    const long = await cli([...args, '--output', 'out.jsonl'])
    expect(long.files['out.jsonl']).toBe((await cli(args)).stdout)
  })

  it('a template value that fails a check stops the run before anything is written, naming the record and flag', async () => {
    await expectErrors([
      [
        [...RTC, '--count', '10', '--channel', 'c', '--uid', '{i+4294967290}'],
        2,
        /^token007 build: record i=6: --uid: expected an integer 0\.\.4294967295/,
      ],
      [
        // 0 (an expired-at-issue token) only at i = 7, the first wrap of i%7 after --start 1.
        [
          ...RTC,
          '--count',
          '20',
          '--start',
          '1',
          '--channel',
          'c',
          '--uid',
          '1',
          '--expires-in',
          '{i%7}',
        ],
        2,
        /^token007 build: record i=7: --expires-in: 0 makes a token that has expired/,
      ],
      [
        // A channel name grows past the format's 65,535 bytes only at the last record.
        [...RTC, '--count', '11', '--channel', `${'x'.repeat(65_534)}{i}`, '--uid', '1'],
        2,
        /^token007 build: record i=10: --channel/,
      ],
      [
        [...RTC, '--count', '3', '--channel', 'c{i*2}', '--uid', '1'],
        2,
        /^token007 build: --channel: unsupported template "\{i\*2\}" in "c\{i\*2\}"/,
      ],
    ])
    const file = await cli([
      ...RTC,
      '--count',
      '10',
      '--channel',
      'c',
      '--uid',
      '{i+4294967290}',
      '-o',
      'f',
    ])
    expect(file.code).toBe(2)
    expect(file.files).toEqual({})
  })

  it('waits for the stream (back-pressure): one write at a time, each a bounded chunk', async () => {
    let pending = 0
    let most = 0
    const sizes: number[] = []
    const run = await cli(
      [...RTC, '--count', '8000', '--channel', 'c{i}', '--uid', '{i}', '--format', 'tokens'],
      {
        onStreamWrite: async (text) => {
          pending++
          most = Math.max(most, pending)
          sizes.push(text.length)
          await new Promise((resolve) => setTimeout(resolve, 2))
          pending--
        },
      },
    )
    expect(run.code).toBe(0)
    expect(most).toBe(1)
    expect(sizes.length).toBeGreaterThan(3)
    expect(Math.max(...sizes)).toBeLessThan(256 * 1024 + 1024)
    expect(run.stdout.split('\n')).toHaveLength(8001)
  })

  it('a broken pipe (| head) ends quietly with exit 0, without building the rest', async () => {
    const started = Date.now()
    const run = await cli([...RTC, '--count', '1000000000', '--channel', 'c', '--uid', '{i}'], {
      breakAfter: 200_000,
    })
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(run.stdout.length).toBeLessThanOrEqual(200_000)
    expect(Date.now() - started).toBeLessThan(30_000)
  })

  it('shows progress on stderr only when it is a terminal', async () => {
    let clock = Date.UTC(2030, 0, 1)
    const args = [...RTC, '--count', '2000', '--channel', 'c', '--uid', '{i}', '--format', 'tokens']
    const tty = await cli(args, { stderrIsTty: true, now: () => (clock += 100) })
    expect(tty.code).toBe(0)
    expect(tty.stderr).toMatch(/\r\d+\/2000 tokens, \d+\/s, ETA \S+/)
    expect(tty.stderr.endsWith('\r\x1b[K')).toBe(true)
    const pipe = await cli(args)
    expect(pipe.stderr).toBe('')
  })

  it('usage errors for the batch flags', async () => {
    const base = [...RTC, '--channel', 'c', '--uid', '1']
    await expectErrors([
      [[...base, '--count', '0'], 2, /--count: expected a whole number 1\.\.1000000000/],
      [[...base, '--count', 'ten'], 2, /--count: expected a whole number/],
      [[...base, '--count', '2', '--start', '-1'], 2, /--start: expected a whole number 0\.\./],
      [
        [...base, '--count', '2', '--format', 'xml'],
        2,
        /--format: expected one of jsonl, csv, tokens/,
      ],
      [[...base, '--format', 'csv'], 2, /--format applies with --count <n>/],
      [[...base, '-o', 'x'], 2, /--output applies with --count <n>/],
      [[...base, '--count', '2', '--json'], 2, /--json cannot be used with --count/],
    ])
  })

  it('without --count, braces are literal text', async () => {
    const run = await cli([...RTC, '--channel', 'c{i}', '--uid', '1'])
    expect(run.code).toBe(0)
    expect(rtcService(run.stdout.trim()).service.channelName).toBe('c{i}')
  })
})

afterAll(() => expectNoCertificatePrinted())
