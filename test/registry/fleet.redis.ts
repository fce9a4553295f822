// Two `token007 serve` processes on one real Redis: what one issues the other lists, what one
// revokes the other refuses, a bulk revocation covers tokens the other issued before it, and the
// rate limit holds across both. Then Redis stops: both fail closed with 503, and recover.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tokenId } from '../../src/index.js'
import { type RedisServer, startRedis } from './redis-server.js'

const ROOT = join(__dirname, '..', '..')
const CLI = join(ROOT, 'dist', 'cli.js')
const APP_ID = '970ca35de60c44645bbae8a215061b33'
const CERT = '5cfd2fd1755d40ecb72977518be15d3b'
const KEY = 'fleet-key-aaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const LIMITED = 'fleet-key-bbbbbbbbbbbbbbbbbbbbbbbbbbbb'
const ADMIN = 'fleet-admin-cccccccccccccccccccccccccc'
const LIMIT = 20

function newest(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  )
}

interface Instance {
  child: ChildProcess
  origin: string
  out: () => string
  stop(): Promise<void>
}

function serve(args: string[], env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      AGORA_APP_ID: APP_ID,
      AGORA_APP_CERTIFICATE: CERT,
      TOKEN007_API_KEYS: `${KEY},${LIMITED}`,
      TOKEN007_ADMIN_API_KEYS: ADMIN,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout?.on('data', (d) => (out += d))
  child.stderr?.on('data', (d) => (out += d))
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 20_000)
    const check = () => {
      const line = out.split('\n').find((l) => l.includes('"event":"listening"'))
      if (line === undefined) return
      clearTimeout(timer)
      resolve({
        child,
        origin: JSON.parse(line).url,
        out: () => out,
        async stop() {
          child.kill('SIGTERM')
          await exited
        },
      })
    }
    child.stdout?.on('data', check)
    exited.then(() => reject(new Error(`serve exited: ${out}`)))
  })
}

async function call(
  instance: Instance,
  method: string,
  path: string,
  key: string,
  body?: unknown,
): Promise<{
  status: number
  body: Record<string, unknown> & { error?: { code: string; message: string } }
}> {
  const response = await fetch(`${instance.origin}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: await response.json() }
}

const nextSecond = () => new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 50))

let redis: RedisServer
let a: Instance
let b: Instance

beforeAll(async () => {
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < newest(join(ROOT, 'src'))) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' })
  }
  redis = await startRedis()
  // API-key callers are not rate limited by default: the registry alone decides here.
  const args = ['--redis', redis.url]
  ;[a, b] = await Promise.all([serve(args, {}), serve(args, {})])
}, 180_000)

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()])
  await redis?.dispose()
})

describe('a fleet of two token007 serve processes on one Redis', () => {
  it('says where its registry lives, and never prints the keys', async () => {
    const listening = JSON.parse(
      a
        .out()
        .split('\n')
        .find((l) => l.includes('"listening"')) as string,
    )
    expect(listening.registry).toBe(`redis redis://127.0.0.1:${redis.port}`)
    expect(listening.adminKeys).toBe(1)
    const memory = await serve([], {})
    try {
      const line = memory
        .out()
        .split('\n')
        .find((l) => l.includes('"listening"')) as string
      expect(JSON.parse(line).registry).toMatch(/^memory/)
    } finally {
      await memory.stop()
    }
    for (const secret of [KEY, LIMITED, ADMIN, CERT]) expect(a.out()).not.toContain(secret)
    await expect(serve(['--redis', 'http://127.0.0.1:1'], {})).rejects.toThrow(
      /--redis: expected redis:\/\//,
    )
  })

  it('issue on A with tags; list by tag and get by correlation id on B; revoke on B; A refuses it', async () => {
    const issued = await call(a, 'POST', '/token', KEY, {
      type: 'rtc',
      channelName: 'fleet-room',
      uid: 5,
      role: 'publisher',
      label: 'fleet camera',
      correlationId: 'fleet-order-1',
      tags: ['fleet', 'camera'],
    })
    expect(issued.status).toBe(200)
    const token = issued.body.token as string
    const id = issued.body.id as string
    expect(id).toBe(tokenId(token))

    const byTag = await call(b, 'GET', '/tokens?tag=fleet', ADMIN)
    expect(byTag.status).toBe(200)
    expect((byTag.body.items as { id: string }[]).map((e) => e.id)).toEqual([id])
    const byCorrelation = await call(b, 'GET', '/tokens?correlationId=fleet-order-1', ADMIN)
    expect(byCorrelation.body.items).toEqual([
      expect.objectContaining({
        id,
        label: 'fleet camera',
        tags: ['fleet', 'camera'],
        issuedTo: 'api-key:1',
      }),
    ])
    expect((await call(b, 'GET', `/tokens/${id}`, ADMIN)).body).toMatchObject({
      id,
      channelName: 'fleet-room',
    })

    expect((await call(a, 'POST', '/verify', KEY, { token })).body).toMatchObject({
      valid: true,
      id,
    })
    const revoked = await call(b, 'DELETE', `/tokens/${id}?reason=stolen`, ADMIN)
    expect(revoked.status).toBe(200)
    const verdict = await call(a, 'POST', '/verify', KEY, { token })
    expect(verdict.body).toMatchObject({ valid: false, code: 'ERR_TOKEN_REVOKED', id })
    expect(verdict.body.message).toMatch(/stolen/)
    expect((await call(a, 'GET', `/tokens/${id}`, ADMIN)).body).toMatchObject({ reason: 'stolen' })
  })

  it('a token revoked on B cannot be renewed on A; one that is not renews there, linked on B', async () => {
    const kept = await call(b, 'POST', '/token', KEY, { type: 'rtm', userId: 'renew-user' })
    const lost = await call(b, 'POST', '/token', KEY, { type: 'rtm', userId: 'renew-user' })
    expect([kept.status, lost.status]).toEqual([200, 200])
    const revoked = await call(b, 'DELETE', `/tokens/${lost.body.id}?reason=stolen`, ADMIN)
    expect(revoked.status).toBe(200)
    const refused = await call(a, 'POST', '/renew', KEY, { token: lost.body.token })
    expect(refused.status).toBe(403)
    expect(refused.body.error?.code).toBe('ERR_TOKEN_REVOKED')
    expect(refused.body).not.toHaveProperty('token')
    const renewed = await call(a, 'POST', '/renew', KEY, { token: kept.body.token })
    expect(renewed.status).toBe(200)
    expect(renewed.body).toMatchObject({
      type: 'rtm',
      userId: 'renew-user',
      renewedFrom: kept.body.id,
    })
    expect(renewed.body.id).toBe(tokenId(renewed.body.token as string))
    expect((await call(b, 'GET', `/tokens/${renewed.body.id}`, ADMIN)).body).toMatchObject({
      renewedFrom: kept.body.id,
      userId: 'renew-user',
    })
    for (const secret of [kept.body.token, lost.body.token, renewed.body.token] as string[]) {
      expect(a.out()).not.toContain(secret)
      expect(b.out()).not.toContain(secret)
    }
  })

  it('a bulk revocation on A covers a token B issued before it, not one B issued after', async () => {
    const before = await call(b, 'POST', '/token', KEY, { type: 'rtm', userId: 'fleet-user' })
    expect(before.status).toBe(200)
    await nextSecond()
    const bulk = await call(a, 'POST', '/revocations', ADMIN, {
      userId: 'fleet-user',
      reason: 'logout everywhere',
    })
    expect(bulk.status).toBe(200)
    expect(bulk.body).toMatchObject({ revoked: 1, cutoff: { scope: { userId: 'fleet-user' } } })
    await nextSecond()
    const after = await call(b, 'POST', '/token', KEY, { type: 'rtm', userId: 'fleet-user' })
    for (const instance of [a, b]) {
      expect(
        (await call(instance, 'POST', '/verify', KEY, { token: before.body.token })).body,
      ).toMatchObject({
        valid: false,
        code: 'ERR_TOKEN_REVOKED',
      })
      expect(
        (await call(instance, 'POST', '/verify', KEY, { token: after.body.token })).body,
      ).toMatchObject({
        valid: true,
      })
    }
  })

  it('the rate limit holds across both instances (counted in Redis)', async () => {
    const args = ['--redis', redis.url, '--rate-limit', `${LIMIT}/min`]
    const [c, d] = await Promise.all([serve(args, {}), serve(args, {})])
    try {
      // One fixed window: start well inside a minute.
      const left = 60_000 - (Date.now() % 60_000)
      if (left < 15_000) await new Promise((r) => setTimeout(r, left + 100))
      const statuses: number[] = []
      for (let i = 0; i < LIMIT + 2; i++) {
        const instance = i % 2 === 0 ? c : d
        statuses.push(
          (await call(instance, 'POST', '/token', LIMITED, { type: 'rtm', userId: `r${i}` }))
            .status,
        )
      }
      // Each instance saw only half the requests: 429 comes from the shared count.
      expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(200))
      expect(statuses.slice(LIMIT)).toEqual([429, 429])
    } finally {
      await Promise.all([c.stop(), d.stop()])
    }
  })

  it('Redis stopped: issuing and verifying fail closed with 503; both recover when it returns', async () => {
    const { token } = (await call(a, 'POST', '/token', KEY, { type: 'rtm', userId: 'fault-user' }))
      .body
    await redis.stop()
    for (const instance of [a, b]) {
      const issue = await call(instance, 'POST', '/token', KEY, {
        type: 'rtm',
        userId: 'fault-user',
      })
      expect(issue.status).toBe(503)
      expect(issue.body.error?.code).toBe('ERR_REGISTRY_UNAVAILABLE')
      expect(issue.body).not.toHaveProperty('token')
      const verify = await call(instance, 'POST', '/verify', KEY, { token })
      expect(verify.status).toBe(503)
      expect(verify.body.error?.code).toBe('ERR_REGISTRY_UNAVAILABLE')
      expect(verify.body.error?.message).toMatch(/registry/)
      const renew = await call(instance, 'POST', '/renew', KEY, { token })
      expect(renew.status).toBe(503)
      expect(renew.body.error?.code).toBe('ERR_REGISTRY_UNAVAILABLE')
      expect(renew.body).not.toHaveProperty('token')
      expect((await call(instance, 'GET', '/tokens', ADMIN)).status).toBe(503)
    }
    await redis.start()
    for (const instance of [a, b]) {
      let status = 0
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (
          await call(instance, 'POST', '/token', KEY, { type: 'rtm', userId: 'fault-user' })
        ).status
        if (status !== 200) await new Promise((r) => setTimeout(r, 100))
      }
      expect(status).toBe(200)
      expect((await call(instance, 'POST', '/verify', KEY, { token })).body).toMatchObject({
        valid: true,
      })
    }
  })
})
