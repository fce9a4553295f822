// The registry through the token server, over both transports: POST /token records (with label,
// correlationId, tags) and returns the id; the admin routes list, get and revoke behind their
// own credentials; POST /revocations leaves a cutoff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tokenId } from '../../../src/index.js'
import { createMemoryRegistry, type TokenRegistry } from '../../../src/registry/index.js'
import {
  APP_ID,
  CERT,
  type Client,
  client,
  expectError,
  expectNoSecret,
  KEY_1,
  KEY_2,
  post,
  TRANSPORTS,
} from '../helpers.js'

const ADMIN = 'admin-cccccccccccccccccccccccccccccccc'
const start = Math.floor(Date.now() / 1000) * 1000 + 100

describe.each(TRANSPORTS)('registry routes (%s)', (transport) => {
  let c: Client
  let registry: TokenRegistry
  let now = start
  beforeAll(async () => {
    registry = createMemoryRegistry({ now: () => now })
    c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      apiKeys: [KEY_1],
      adminApiKeys: [ADMIN],
      registry,
      now: () => now,
    })
  })
  afterAll(() => c.close())

  const get = (path: string, key?: string) =>
    c.request(path, { headers: key ? { Authorization: `Bearer ${key}` } : {} })

  async function issue(body: Record<string, unknown>) {
    const response = await post(c, '/token', body, KEY_1)
    const text = await response.text()
    expect(response.status, text).toBe(200)
    return JSON.parse(text)
  }

  it('POST /token records the token with its label, correlation id and tags, and returns its id', async () => {
    const body = await issue({
      type: 'rtc',
      channelName: 'stage',
      uid: 7,
      role: 'publisher',
      label: 'stage camera 1',
      correlationId: 'order-1',
      tags: ['studio', 'camera'],
    })
    expect(body.id).toBe(tokenId(body.token))
    const entry = await registry.get(body.id)
    expect(entry).toMatchObject({
      id: body.id,
      type: 'rtc',
      appId: APP_ID,
      channelName: 'stage',
      uid: '7',
      label: 'stage camera 1',
      correlationId: 'order-1',
      tags: ['studio', 'camera'],
      issuedTo: 'api-key:1',
    })
    expect(entry?.expiresAt.toISOString()).toBe(body.expiresAt)
  })

  it.each([
    [{ tags: ['bad tag'] }, /tags\[0\]/],
    [{ tags: 'studio' }, /tags/],
    [{ tags: Array.from({ length: 17 }, (_, i) => `t${i}`) }, /tags/],
    [{ label: 'x'.repeat(201) }, /label/],
    [{ label: 42 }, /label/],
    [{ correlationId: 'no spaces please' }, /correlationId/],
  ])('POST /token refuses entry details %j with 400', async (extra, message) => {
    const response = await post(c, '/token', { type: 'rtm', userId: 'u', ...extra }, KEY_1)
    expect(await expectError(response, 400, 'ERR_INVALID_ARGUMENT')).toMatch(message)
  })

  it('admin routes: no key 401, an ordinary key 403, an admin key 200', async () => {
    await expectError(await get('/tokens'), 401, 'ERR_UNAUTHENTICATED')
    const response = await get('/tokens', KEY_1)
    await expectError(response, 403, 'ERR_FORBIDDEN')
    await expectError(await get('/tokens', 'not-a-key-at-all-xxxxxxxx'), 401, 'ERR_UNAUTHENTICATED')
    await expectError(
      await c.request('/revocations', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY_1}` },
        body: JSON.stringify({ userId: 'x' }),
      }),
      403,
      'ERR_FORBIDDEN',
    )
    expect((await get('/tokens', ADMIN)).status).toBe(200)
    // An admin key is not an ordinary key.
    await expectError(
      await post(c, '/token', { type: 'rtm', userId: 'u' }, ADMIN),
      401,
      'ERR_UNAUTHENTICATED',
    )
  })

  it('GET /tokens filters and pages; GET /tokens/:id returns one entry', async () => {
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      now += 1000
      ids.push((await issue({ type: 'rtm', userId: `pager-${i % 2}`, tags: ['pager'] })).id)
    }
    const seen: string[] = []
    let cursor: string | undefined
    for (let i = 0; i < 10; i++) {
      const response = await get(
        `/tokens?tag=pager&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        ADMIN,
      )
      const text = await response.text()
      expect(response.status, text).toBe(200)
      expectNoSecret(text)
      const page = JSON.parse(text)
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((e: { id: string }) => e.id))
      cursor = page.nextCursor
      if (cursor === undefined) break
    }
    expect(seen).toEqual([...ids].reverse())
    const byUser = await (await get('/tokens?userId=pager-1', ADMIN)).json()
    expect(byUser.items.map((e: { id: string }) => e.id)).toEqual([ids[3], ids[1]])
    const one = await (await get(`/tokens/${ids[0]}`, ADMIN)).json()
    expect(one).toMatchObject({
      id: ids[0],
      userId: 'pager-0',
      tags: ['pager'],
      issuedTo: 'api-key:1',
    })
    expect(one.issuedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect(one).not.toHaveProperty('token')
    await expectError(await get('/tokens/AAAAAAAAAAAAAAAAAAAAAA', ADMIN), 404, 'ERR_NOT_FOUND')
    await expectError(await get('/tokens/not-an-id', ADMIN), 400, 'ERR_INVALID_ARGUMENT')
    await expectError(await get('/tokens?user=1', ADMIN), 400, 'ERR_INVALID_ARGUMENT')
    await expectError(await get('/tokens?limit=0', ADMIN), 400, 'ERR_INVALID_ARGUMENT')
    await expectError(
      await get('/tokens?issuedBefore=yesterday', ADMIN),
      400,
      'ERR_INVALID_ARGUMENT',
    )
    await expectError(await get('/tokens?cursor=abc', ADMIN), 400, 'ERR_INVALID_ARGUMENT')
  })

  it('DELETE /tokens/:id revokes; POST /verify then refuses with ERR_TOKEN_REVOKED', async () => {
    const { token, id } = await issue({ type: 'rtm', userId: 'del-me' })
    const verify = async () => (await post(c, '/verify', { token }, KEY_1)).json()
    expect(await verify()).toMatchObject({ valid: true, id })
    const response = await c.request(`/tokens/${id}?reason=lost%20phone`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${ADMIN}` },
    })
    const body = await response.json()
    expect(response.status).toBe(200)
    expect(body).toMatchObject({
      id,
      revoked: true,
      recorded: true,
      entry: { reason: 'lost phone' },
    })
    expect(await verify()).toMatchObject({ valid: false, code: 'ERR_TOKEN_REVOKED', id })
    await expectError(
      await c.request(`/tokens/${id}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${KEY_1}` },
      }),
      403,
      'ERR_FORBIDDEN',
    )
  })

  it('POST /revocations covers every token of a user issued before now, not later ones', async () => {
    const before = await issue({ type: 'rtm', userId: 'bulk-user' })
    const other = await issue({ type: 'rtm', userId: 'bulk-other' })
    now += 1000
    const response = await post(
      c,
      '/revocations',
      { userId: 'bulk-user', reason: 'password changed' },
      ADMIN,
    )
    const text = await response.text()
    expect(response.status, text).toBe(200)
    const body = JSON.parse(text)
    expect(body.revoked).toBe(1)
    expect(body.cutoff.scope).toEqual({ userId: 'bulk-user' })
    now += 1000
    const after = await issue({ type: 'rtm', userId: 'bulk-user' })
    const verdict = async (token: string) =>
      (await (await post(c, '/verify', { token }, KEY_1)).json()).valid
    expect(await verdict(before.token)).toBe(false)
    expect(await verdict(other.token)).toBe(true)
    expect(await verdict(after.token)).toBe(true)
    await expectError(await post(c, '/revocations', {}, ADMIN), 400, 'ERR_INVALID_ARGUMENT')
    await expectError(
      await post(c, '/revocations', { tag: 'x' }, ADMIN),
      400,
      'ERR_INVALID_ARGUMENT',
    )
    await expectError(
      await post(c, '/revocations', { userId: 'x', issuedBefore: '2999-01-01T00:00:00Z' }, ADMIN),
      400,
      'ERR_INVALID_ARGUMENT',
    )
  })

  it('POST /verify answers for bad tokens without leaking them, and needs a caller', async () => {
    const bad = await (await post(c, '/verify', { token: '007garbage' }, KEY_1)).json()
    expect(bad).toMatchObject({ valid: false, code: 'ERR_TOKEN_MALFORMED' })
    const { token } = await issue({ type: 'rtm', userId: 'v' })
    const wrongApp = await (
      await post(c, '/verify', { token: token.replace(/.$/, 'A') }, KEY_1)
    ).text()
    expect(JSON.parse(wrongApp).valid).toBe(false)
    expect(wrongApp).not.toContain(token)
    await expectError(await post(c, '/verify', { token }), 401, 'ERR_UNAUTHENTICATED')
    await expectError(await post(c, '/verify', { token: 42 }, KEY_1), 400, 'ERR_INVALID_ARGUMENT')
    await expectError(
      await post(c, '/verify', { token, extra: 1 }, KEY_1),
      400,
      'ERR_INVALID_ARGUMENT',
    )
  })
})

describe('registry options of createTokenServer', () => {
  it('authorizeAdmin lets an authenticated ordinary caller in', async () => {
    const c = await client('in-process', {
      appId: APP_ID,
      appCertificate: CERT,
      apiKeys: [KEY_1, KEY_2],
      authorizeAdmin: (identity) => identity.id === 'api-key:2',
    })
    expect(
      (await c.request('/tokens', { headers: { Authorization: `Bearer ${KEY_2}` } })).status,
    ).toBe(200)
    await expectError(
      await c.request('/tokens', { headers: { Authorization: `Bearer ${KEY_1}` } }),
      403,
      'ERR_FORBIDDEN',
    )
  })

  it('refuses bad registry options', async () => {
    const base = { appId: APP_ID, appCertificate: CERT, apiKeys: [KEY_1] }
    const { createTokenServer } = await import('../../../src/server/index.js')
    expect(() => createTokenServer({ ...base, adminApiKeys: [KEY_1] })).toThrow(/adminApiKeys\[0\]/)
    expect(() => createTokenServer({ ...base, adminApiKeys: ['short'] })).toThrow(
      /adminApiKeys\[0\]/,
    )
    expect(() => createTokenServer({ ...base, registry: {} as never })).toThrow(/registry/)
    expect(() => createTokenServer({ ...base, failOpen: 'yes' as never })).toThrow(/failOpen/)
    expect(() =>
      createTokenServer({ ...base, maxExpiresIn: '2d', registry: createMemoryRegistry() }),
    ).toThrow(/maxTokenLifetime/)
  })
})
