// The shared store: Redis, through the official client (@redis/client, loaded only when a URL is
// given). Key layout (prefix `token007:` by default), every key expiring with what it covers:
//   e:<id>          string  the entry as JSON (times in ms); TTL = token expiry + clockTolerance
//   r:<id>          string  the token's own revocation {revokedAt, reason}; TTL = its entry's, or
//                           maxTokenLifetime + clockTolerance when nothing is recorded under <id>
//   c:<scope>       string  "<issuedBefore ms>:{revokedAt, reason}" for a bulk-revocation scope
//                           (c=<channel>&i=<uid>&u=<user>, URI-encoded; * for every token);
//                           TTL = issuedBefore + maxTokenLifetime + clockTolerance
//   x:<index>       zset    order keys "<issuedAt ms, 13 digits>:<id>", all at score 0 (read by
//                           lex range, newest first) under all, u:<userId>, i:<uid>,
//                           c:<channelName>, k:<correlationId>, t:<tag>; members older than
//                           maxTokenLifetime are pruned on write, the key expires with its newest
import { InvalidArgument, RegistryUnavailable, type TokenEntry } from '../index.js'
import { createRegistry } from './core.js'
import { type RegistryOptions, settingsOf } from './options.js'
import type { Store, StoreRead } from './store.js'
import type { Cutoff, Mark } from './subject.js'
import type { TokenRegistry } from './types.js'

/**
 * The part of a Redis client the registry uses: node-redis (`@redis/client`, `redis`) clients
 * have it. A client you pass stays yours: connect it before use, listen to its `'error'` events,
 * and close it yourself.
 */
export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>
}

/** Options of {@link createRedisRegistry}: give `url` or `client`. */
export interface RedisRegistryOptions extends RegistryOptions {
  /** `redis://[[user]:password@]host:port[/db]` or `rediss://…`; the registry opens and owns the connection. */
  url?: string
  /** A connected client to use instead of opening one. */
  client?: RedisCommandClient
  /** Prefix of every key (default `'token007:'`): one prefix per app; in Redis Cluster use a hash tag, e.g. `'{token007}:'`. */
  prefix?: string
  /** How long one store operation may take before it fails with `RegistryUnavailable` (ms, default 1000). */
  timeoutMs?: number
}

/** A registry on Redis, with a probe of the connection. */
export interface RedisTokenRegistry extends TokenRegistry {
  /** Resolves when Redis answers a PING; rejects with `RegistryUnavailable` otherwise. */
  ping(): Promise<void>
}

const PUT = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
local ttl = tonumber(ARGV[2])
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], 0, ARGV[3])
  redis.call('ZREMRANGEBYLEX', KEYS[i], '-', ARGV[4])
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1`

const MARK = `
local ttl = redis.call('PTTL', KEYS[1])
local recorded = 1
if ttl < 0 then ttl = tonumber(ARGV[2]); recorded = 0 end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ttl) then return {1, recorded} end
return {0, recorded}`

const CUTOFF = `
local current = redis.call('GET', KEYS[1])
if current and tonumber(string.match(current, '^%d+')) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`

interface Connection {
  /** Resolves once a command can be sent (a first connection is opened lazily). */
  ready(): Promise<void>
  send(args: string[]): Promise<unknown>
  close(): Promise<void>
}

function unavailable(what: string, err: unknown): RegistryUnavailable {
  if (err instanceof RegistryUnavailable) return err
  const code = (err as { code?: unknown } | null)?.code
  const name =
    err instanceof Error ? (err.name !== 'Error' ? err.name : err.constructor.name) : typeof err
  const detail = typeof code === 'string' ? code : name
  return new RegistryUnavailable(`Redis registry: ${what} failed (${detail})`, { cause: err })
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RegistryUnavailable(`Redis registry: ${what} took longer than ${ms} ms`)),
      ms,
    )
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

function checkUrl(url: unknown): string {
  if (typeof url !== 'string' || !/^rediss?:\/\/[^\s]+$/.test(url))
    throw new InvalidArgument('url: expected redis://host:port or rediss://host:port')
  return url
}

/** A connection the registry opens itself: reconnects in the background, never queues offline. */
function openConnection(url: string, timeoutMs: number): Connection {
  let client:
    | {
        sendCommand(args: string[]): Promise<unknown>
        close(): Promise<void>
        destroy(): void
        isOpen: boolean
      }
    | undefined
  let opening: Promise<void> | undefined
  let closed = false

  async function open(): Promise<void> {
    const { createClient } = await import('@redis/client')
    let connected = false
    const c = createClient({
      url,
      // Commands fail at once while disconnected (the caller answers 503) instead of waiting.
      disableOfflineQueue: true,
      commandOptions: { timeout: timeoutMs },
      socket: {
        connectTimeout: timeoutMs,
        // Once connected, reconnect in the background; a first connection that fails gives up
        // at once (the next command tries again) rather than holding requests while it retries.
        reconnectStrategy: (retries: number, cause: Error) =>
          connected ? Math.min(50 * 2 ** retries, 1000) : cause,
      },
    })
    // Without a listener an 'error' event would end the process; the failures surface as
    // RegistryUnavailable on the commands instead.
    c.on('error', () => {})
    client = c as unknown as typeof client
    await c.connect()
    connected = true
  }

  // Loading the client and the first connection may take longer than one command should.
  const connectMs = Math.max(timeoutMs, 5000)
  return {
    async ready() {
      if (closed) throw new RegistryUnavailable('Redis registry: closed')
      if (client !== undefined && opening === undefined) return
      opening ??= open().then(
        () => {
          opening = undefined
        },
        (err) => {
          opening = undefined
          client?.destroy()
          client = undefined
          throw err
        },
      )
      await withTimeout(opening, connectMs, 'connecting')
    },
    async send(args) {
      if (client === undefined) throw new RegistryUnavailable('Redis registry: not connected')
      return client.sendCommand(args)
    },
    async close() {
      closed = true
      const c = client
      client = undefined
      if (c?.isOpen) await c.close().catch(() => c.destroy())
      else c?.destroy()
    },
  }
}

function encodeEntry(entry: TokenEntry): string {
  return JSON.stringify({
    ...entry,
    issuedAt: entry.issuedAt.getTime(),
    expiresAt: entry.expiresAt.getTime(),
  })
}

function decodeEntry(text: string): TokenEntry {
  const raw = JSON.parse(text) as TokenEntry & { issuedAt: number; expiresAt: number }
  if (typeof raw.id !== 'string' || typeof raw.issuedAt !== 'number')
    throw new RegistryUnavailable('Redis registry: an entry is not in the expected format')
  return { ...raw, issuedAt: new Date(raw.issuedAt), expiresAt: new Date(raw.expiresAt) }
}

function decodeMark(text: string): Mark {
  const raw = JSON.parse(text) as { revokedAt: number; reason?: string }
  const mark: Mark = { revokedAtMs: raw.revokedAt }
  if (raw.reason !== undefined) mark.reason = raw.reason
  return mark
}

function encodeMark(mark: Mark): string {
  return JSON.stringify({ revokedAt: mark.revokedAtMs, reason: mark.reason })
}

function decodeCutoff(text: string): Cutoff {
  const colon = text.indexOf(':')
  const cutoff: Cutoff = {
    beforeMs: Number(text.slice(0, colon)),
    ...decodeMark(text.slice(colon + 1)),
  }
  return cutoff
}

/** Redis commands with a timeout, errors as RegistryUnavailable, and cached Lua scripts. */
export interface RedisCommands {
  send(args: string[], what: string): Promise<unknown>
  script(body: string, keys: string[], args: string[], what: string): Promise<unknown>
  close(): Promise<void>
}

/** What {@link redisCommands} connects with: a URL (a connection it owns) or a client. */
export interface RedisConnectOptions {
  url?: string
  client?: RedisCommandClient
  timeoutMs?: number
}

/** Opens (or wraps) a Redis connection for the registry and the server's rate limit store. */
export function redisCommands(options: RedisConnectOptions): RedisCommands {
  const timeoutMs = options.timeoutMs ?? 1000
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new InvalidArgument(`timeoutMs: expected a positive integer, got ${String(timeoutMs)}`)
  if ((options.url === undefined) === (options.client === undefined))
    throw new InvalidArgument('createRedisRegistry: give exactly one of url and client')
  let connection: Connection
  if (options.client !== undefined) {
    const client = options.client
    if (typeof client?.sendCommand !== 'function')
      throw new InvalidArgument('client: expected a node-redis client (with sendCommand)')
    connection = {
      ready: async () => {},
      send: (args) => client.sendCommand(args),
      close: async () => {},
    }
  } else {
    connection = openConnection(checkUrl(options.url), timeoutMs)
  }

  async function send(args: string[], what: string): Promise<unknown> {
    try {
      await connection.ready()
      return await withTimeout(connection.send(args), timeoutMs, what)
    } catch (err) {
      throw unavailable(what, err)
    }
  }

  const shas = new Map<string, string>()
  async function script(body: string, keys: string[], args: string[], what: string) {
    for (let attempt = 0; ; attempt++) {
      let sha = shas.get(body)
      if (sha === undefined) {
        sha = String(await send(['SCRIPT', 'LOAD', body], what))
        shas.set(body, sha)
      }
      try {
        await connection.ready()
        return await withTimeout(
          connection.send(['EVALSHA', sha, String(keys.length), ...keys, ...args]),
          timeoutMs,
          what,
        )
      } catch (err) {
        // A restarted or flushed Redis forgets loaded scripts: load again once.
        if (attempt === 0 && String((err as Error)?.message).startsWith('NOSCRIPT')) {
          shas.delete(body)
          continue
        }
        throw unavailable(what, err)
      }
    }
  }
  return { send, script, close: () => connection.close() }
}

/**
 * A token registry on Redis, shared by every instance that uses the same Redis and prefix:
 * a revocation made on one instance is refused by every other at once (each check reads Redis;
 * nothing is cached). Entries, revocations and cutoffs carry TTLs, so Redis holds the live
 * tokens, not the history. A store that cannot be reached rejects with `RegistryUnavailable`
 * within `timeoutMs`, and verification fails closed.
 *
 * @example
 * ```ts
 * const registry = createRedisRegistry({ url: process.env.REDIS_URL })
 * await registry.record(entryFromToken(token, { issuedTo: 'apikey:backend-1' }))
 * await registry.revoke({ userId: '42' }, 'password changed') // every instance refuses at once
 * await registry.close()
 * ```
 */
export function createRedisRegistry(options: RedisRegistryOptions): RedisTokenRegistry {
  if (typeof options !== 'object' || options === null)
    throw new InvalidArgument('options: expected { url } or { client }')
  const settings = settingsOf(options)
  const prefix = options.prefix ?? 'token007:'
  if (typeof prefix !== 'string') throw new InvalidArgument('prefix: expected a string')
  const { send, script, close } = redisCommands(options)

  const ms = (n: number) => String(Math.max(1, Math.ceil(n)))
  const store: Store = {
    async putEntry(entry, order, ttlMs, indexes, pruneBelow) {
      const keys = [`${prefix}e:${entry.id}`, ...indexes.map((n) => `${prefix}x:${n}`)]
      const done = await script(
        PUT,
        keys,
        [encodeEntry(entry), ms(ttlMs), order, `(${pruneBelow}`],
        'record',
      )
      return Number(done) === 1
    },
    async read(ids, scopeKeys): Promise<StoreRead> {
      const keys = [
        ...ids.map((id) => `${prefix}e:${id}`),
        ...ids.map((id) => `${prefix}r:${id}`),
        ...scopeKeys.map((k) => `${prefix}c:${k}`),
      ]
      if (keys.length === 0) return { entries: [], marks: [], cutoffs: new Map() }
      const values = (await send(['MGET', ...keys], 'read')) as (string | null)[]
      try {
        const n = ids.length
        const cutoffs = new Map<string, Cutoff>()
        scopeKeys.forEach((k, i) => {
          const v = values[2 * n + i]
          if (v !== null && v !== undefined) cutoffs.set(k, decodeCutoff(v))
        })
        return {
          entries: values.slice(0, n).map((v) => (v == null ? undefined : decodeEntry(v))),
          marks: values.slice(n, 2 * n).map((v) => (v == null ? undefined : decodeMark(v))),
          cutoffs,
        }
      } catch (err) {
        throw unavailable('reading an entry', err)
      }
    },
    async scan(index, below, count) {
      const max = below === undefined ? '+' : `(${below}`
      const args = [
        'ZRANGE',
        `${prefix}x:${index}`,
        max,
        '-',
        'BYLEX',
        'REV',
        'LIMIT',
        '0',
        String(count),
      ]
      return (await send(args, 'list')) as string[]
    },
    async forget(index, orders) {
      if (orders.length > 0) await send(['ZREM', `${prefix}x:${index}`, ...orders], 'prune')
    },
    async mark(id, mark, ttlMs) {
      const keys = [`${prefix}e:${id}`, `${prefix}r:${id}`]
      const [newly, recorded] = (await script(
        MARK,
        keys,
        [encodeMark(mark), ms(ttlMs)],
        'revoke',
      )) as number[]
      return { newly: Number(newly) === 1, recorded: Number(recorded) === 1 }
    },
    async setCutoff(key, cutoff, ttlMs) {
      const value = `${cutoff.beforeMs}:${encodeMark(cutoff)}`
      const done = await script(
        CUTOFF,
        [`${prefix}c:${key}`],
        [String(cutoff.beforeMs), value, ms(ttlMs)],
        'revoke',
      )
      return Number(done) === 1
    },
    close,
  }
  const registry = createRegistry(store, settings)
  return {
    ...registry,
    async ping() {
      await send(['PING'], 'ping')
    },
  }
}
