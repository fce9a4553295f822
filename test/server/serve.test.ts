// `token007 serve` as a child process over real HTTP on loopback: the routes and statuses, the
// JSON access log (with no secret in it), configuration from the environment, --demo, and a
// graceful stop that lets an in-flight request finish.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyToken } from '../../src/index.js'
import { APP_ID, CERT, expectError, expectNoSecret, KEY_1, KEY_2, listen } from './helpers.js'

const ROOT = join(__dirname, '..', '..')
const CLI = join(ROOT, 'dist', 'cli.js')

function newest(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  )
}

beforeAll(() => {
  // Built by `npm test` first; built here too when dist/ is missing or older than src/.
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < newest(join(ROOT, 'src'))) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' })
  }
}, 120_000)

interface Running {
  child: ChildProcess
  origin: string
  out: () => string
  err: () => string
  exited: Promise<number | null>
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

const BASE_ENV = {
  PATH: process.env.PATH,
  AGORA_APP_ID: APP_ID,
  AGORA_APP_CERTIFICATE: CERT,
  TOKEN007_API_KEYS: `${KEY_1}, ${KEY_2}`,
}

/** Starts `token007 serve` on a free loopback port and waits for its listening line. */
function start(args: string[] = [], env: Record<string, string | undefined> = BASE_ENV) {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return new Promise<Running>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out}${err}`)), 20_000)
    const check = () => {
      const line = out.split('\n').find((l) => l.includes('"event":"listening"'))
      if (line === undefined) return
      clearTimeout(timer)
      child.stdout.off('data', check)
      resolve({
        child,
        origin: JSON.parse(line).url,
        out: () => out,
        err: () => err,
        exited,
        async stop(signal = 'SIGTERM') {
          child.kill(signal)
          return exited
        },
      })
    }
    child.stdout.on('data', check)
    exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code}: ${out}${err}`))
    })
  })
}

/** Runs `token007 serve` expecting it to refuse to start. */
function refuse(args: string[], env: Record<string, string | undefined>) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { env })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, out, err })
    })
  })
}

const json = (key?: string) => ({
  'Content-Type': 'application/json',
  ...(key ? { Authorization: `Bearer ${key}` } : {}),
})

describe('token007 serve', () => {
  let s: Running
  const tokens: string[] = []
  beforeAll(async () => {
    s = await start([], { ...BASE_ENV, TOKEN007_CORS_ORIGINS: 'https://app.example.com' })
  }, 30_000)
  afterAll(async () => {
    if (s.child.exitCode === null) await s.stop()
  })

  it('listens on 127.0.0.1 by default', () => {
    expect(s.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('issues a verifiable token on POST /token and the compat routes', async () => {
    const r = await fetch(`${s.origin}/token`, {
      method: 'POST',
      headers: json(KEY_2),
      body: JSON.stringify({ type: 'rtc', channelName: 'room', uid: 3, role: 'publisher' }),
    })
    expect(r.status).toBe(200)
    expect(r.headers.get('cache-control')).toBe('no-store')
    const body = await r.json()
    tokens.push(body.token)
    verifyToken(body.token, CERT, {
      appId: APP_ID,
      require: { service: 'rtc', channelName: 'room', uid: 3, privilege: 'publishAudioStream' },
    })
    for (const [path, field] of [
      ['/rtc/room/subscriber/uid/3', 'rtcToken'],
      ['/rtm/alice', 'rtmToken'],
      ['/chat/app', 'chatToken'],
      ['/chat/account/alice', 'chatToken'],
    ]) {
      const res = await fetch(`${s.origin}${path}`, {
        headers: { Authorization: `Bearer ${KEY_1}` },
      })
      expect(res.status, path).toBe(200)
      const answer = await res.json()
      verifyToken(answer[field], CERT)
      tokens.push(answer[field])
    }
    const post = await fetch(`${s.origin}/getToken`, {
      method: 'POST',
      headers: json(KEY_1),
      body: JSON.stringify({ tokenType: 'rtm', uid: 'bob' }),
    })
    const posted = await post.json()
    verifyToken(posted.rtmToken, CERT, { require: { service: 'rtm', userId: 'bob' } })
    tokens.push(posted.rtmToken)
  })

  it('answers every error status as JSON with its headers', async () => {
    const o = s.origin
    const cases: [string, RequestInit, number, string, Record<string, RegExp>][] = [
      [
        '/token',
        { method: 'POST', headers: json(), body: '{"type":"fpa"}' },
        401,
        'ERR_UNAUTHENTICATED',
        { 'www-authenticate': /Bearer/ },
      ],
      [
        '/token',
        { method: 'POST', headers: json('nope-nope-nope-nope'), body: '{}' },
        401,
        'ERR_UNAUTHENTICATED',
        { 'www-authenticate': /invalid_token/ },
      ],
      [
        '/token',
        { method: 'POST', headers: json(KEY_1), body: '{"type":"rtc","channelName":7}' },
        400,
        'ERR_INVALID_ARGUMENT',
        {},
      ],
      [
        '/token',
        { method: 'POST', headers: json(KEY_1), body: '{"type":' },
        400,
        'ERR_INVALID_JSON',
        {},
      ],
      ['/nope', {}, 404, 'ERR_NOT_FOUND', {}],
      ['/token', { method: 'GET' }, 405, 'ERR_METHOD_NOT_ALLOWED', { allow: /^POST$/ }],
      [
        '/token',
        { method: 'POST', headers: json(KEY_1), body: 'x'.repeat(20_000) },
        413,
        'ERR_BODY_TOO_LARGE',
        {},
      ],
      [
        '/token',
        {
          method: 'POST',
          headers: { Authorization: `Bearer ${KEY_1}`, 'Content-Type': 'text/plain' },
          body: '{}',
        },
        415,
        'ERR_UNSUPPORTED_MEDIA_TYPE',
        {},
      ],
    ]
    for (const [path, init, status, code, headers] of cases) {
      const r = await fetch(`${o}${path}`, init)
      for (const [name, value] of Object.entries(headers))
        expect(r.headers.get(name)).toMatch(value)
      await expectError(r, status, code)
    }
    const health = await fetch(`${o}/healthz`)
    expect(await health.json()).toEqual({ ok: true })
    expect(await (await fetch(`${o}/ping`)).text()).toBe('pong')
    const pre = await fetch(`${o}/token`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST' },
    })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
  })

  it('logs one JSON line per request and per issued token, with no secret or token', async () => {
    const lines = s
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    const requests = lines.filter((l) => l.event === 'request')
    expect(requests.length).toBeGreaterThanOrEqual(15)
    for (const l of requests) {
      expect(Object.keys(l)).toEqual(['time', 'event', 'method', 'path', 'status', 'ms', 'remote'])
      expect(l.remote).toBe('127.0.0.1')
    }
    expect(requests).toContainEqual(
      expect.objectContaining({ method: 'POST', path: '/token', status: 200 }),
    )
    const issues = lines.filter((l) => l.event === 'issue')
    expect(issues[0]).toMatchObject({
      type: 'rtc',
      channelName: 'room',
      uid: 3,
      identity: { id: 'api-key:2', kind: 'api-key' },
    })
    expectNoSecret(s.out() + s.err())
    for (const token of tokens) expect(s.out() + s.err()).not.toContain(token)
  })
})

describe('token007 serve lifecycle', () => {
  it('lets an in-flight request finish on SIGTERM, then exits 0', async () => {
    const s = await start()
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('{"type":"rtm",'))
        await gate
        controller.enqueue(new TextEncoder().encode('"userId":"late"}'))
        controller.close()
      },
    })
    const pending = fetch(`${s.origin}/token`, {
      method: 'POST',
      headers: json(KEY_1),
      body,
      duplex: 'half',
    } as RequestInit)
    await new Promise((r) => setTimeout(r, 300))
    s.child.kill('SIGTERM')
    await new Promise((r) => setTimeout(r, 300))
    expect(s.child.exitCode).toBeNull()
    // New connections are refused while the old one drains.
    await expect(fetch(`${s.origin}/healthz`)).rejects.toThrow()
    release()
    const r = await pending
    expect(r.status).toBe(200)
    expect((await r.json()).userId).toBe('late')
    expect(await s.exited).toBe(0)
    expect(s.out()).toMatch(/"event":"stopping","signal":"SIGTERM"/)
    expect(s.out()).toMatch(/"event":"stopped"/)
  }, 30_000)

  it('applies TOKEN007_RATE_LIMIT to every caller', async () => {
    const s = await start([], { ...BASE_ENV, TOKEN007_RATE_LIMIT: '2/min' })
    try {
      const send = () =>
        fetch(`${s.origin}/token`, { method: 'POST', headers: json(KEY_1), body: '{"type":"fpa"}' })
      expect((await send()).status).toBe(200)
      expect((await send()).status).toBe(200)
      const r = await send()
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
      await expectError(r, 429, 'ERR_RATE_LIMITED')
    } finally {
      await s.stop('SIGINT')
    }
  }, 30_000)

  it('--demo prints a fresh key once and the curl lines, and serves with demo credentials', async () => {
    const s = await start(['--demo'], { PATH: process.env.PATH })
    try {
      const key = /shown once:\n {2}(\S+)/.exec(s.out())?.[1] as string
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(s.out().split(key).length - 1).toBe(3) // the key line and two curl lines
      expect(s.out()).toContain(
        `curl -s -X POST ${s.origin}/token -H 'Authorization: Bearer ${key}'`,
      )
      expect(s.out()).toMatch(/verify "\$TOKEN" --app-id 0{32}/)
      const r = await fetch(`${s.origin}/token`, {
        method: 'POST',
        headers: json(key),
        body: '{"type":"rtc","channelName":"demo","uid":42,"role":"publisher"}',
      })
      const body = await r.json()
      verifyToken(body.token, 'f'.repeat(32), { appId: '0'.repeat(32) })
      const again = await start(['--demo'], { PATH: process.env.PATH })
      expect(again.out()).not.toContain(key)
      await again.stop()
    } finally {
      await s.stop()
    }
  }, 30_000)

  it('--jwks-url/--issuer/--audience: exchanges a provider JWT for a token for its subject', async () => {
    const keys = await generateKeyPair('RS256')
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'r1', alg: 'RS256' }
    const jwks = await listen(() => Response.json({ keys: [jwk] }))
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'r1' })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(keys.privateKey)
    const { TOKEN007_API_KEYS: _none, ...noKeys } = BASE_ENV
    const s = await start(
      [
        '--jwks-url',
        `${jwks.origin}/jwks.json`,
        '--issuer',
        'https://auth.test/',
        '--audience',
        'agora',
      ],
      noKeys,
    )
    try {
      const good = await sign({ sub: 'user|7', iss: 'https://auth.test/', aud: 'agora' })
      const r = await fetch(`${s.origin}/token`, {
        method: 'POST',
        headers: json(good),
        body: '{"type":"rtc","channelName":"room"}',
      })
      const body = await r.json()
      expect(r.status).toBe(200)
      verifyToken(body.token, CERT, {
        require: { service: 'rtc', channelName: 'room', uid: 'user|7' },
      })
      const wrongAudience = await sign({ sub: 'user|7', iss: 'https://auth.test/', aud: 'other' })
      const refused = await fetch(`${s.origin}/token`, {
        method: 'POST',
        headers: json(wrongAudience),
        body: '{"type":"rtm"}',
      })
      await expectError(refused, 401, 'ERR_UNAUTHENTICATED')
      // An API key is not accepted when none is configured.
      await expectError(
        await fetch(`${s.origin}/token`, {
          method: 'POST',
          headers: json(KEY_1),
          body: '{"type":"rtm"}',
        }),
        401,
        'ERR_UNAUTHENTICATED',
      )
      const log = s.out() + s.err()
      expect(log).toContain('"identity":{"id":"jwt:user|7","kind":"jwt"}')
      for (const secret of [good, wrongAudience, body.token]) expect(log).not.toContain(secret)
    } finally {
      await s.stop()
      await jwks.close()
    }
  }, 30_000)

  it.each([
    [['--demo', '--host', '0.0.0.0'], { PATH: process.env.PATH }, /loopback only/],
    [[], { PATH: process.env.PATH }, /no app id/],
    [[], { PATH: process.env.PATH, AGORA_APP_ID: APP_ID }, /no app certificate/],
    [
      [],
      { PATH: process.env.PATH, AGORA_APP_ID: APP_ID, AGORA_APP_CERTIFICATE: CERT },
      /no caller authentication/,
    ],
    [
      [],
      { ...BASE_ENV, AGORA_APP_CERTIFICATE: 'zz-not-hex-secret-value-zzzzzzzzz' },
      /appCertificate/,
    ],
    [[], { ...BASE_ENV, TOKEN007_API_KEYS: 'short' }, /apiKeys\[0\]/],
    [['--rate-limit', 'lots'], BASE_ENV, /rateLimit/],
    [['--port', '99999'], BASE_ENV, /--port/],
    [['--issuer', 'x'], BASE_ENV, /--jwks-url/],
  ])('refuses %j with exit code 2', async (args, env, message) => {
    const { code, out, err } = await refuse(args, env as Record<string, string>)
    expect(code).toBe(2)
    expect(err).toMatch(message)
    expect(out + err).not.toContain('zz-not-hex-secret')
    expectNoSecret(out + err)
  })
})
