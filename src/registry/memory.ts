// The embedded store: everything in this process's memory, expired data swept as time passes.
import { InvalidArgument, type TokenEntry } from '../index.js'
import { createRegistry } from './core.js'
import { copyEntry } from './entry.js'
import { nowMs, type RegistryOptions, settingsOf } from './options.js'
import type { Store } from './store.js'
import type { Cutoff, Mark } from './subject.js'
import type { TokenRegistry } from './types.js'

/** Options of {@link createMemoryRegistry}. */
export interface MemoryRegistryOptions extends RegistryOptions {
  /**
   * At most this many entries are kept (default 10,000, about 13 MB): beyond it the oldest
   * entries leave the listing, so a busy process's memory stays flat. Revocations and cutoffs are
   * kept whatever the count (they are few, and refusing a revoked token must not depend on it).
   * Use the Redis registry to keep every live entry.
   */
  maxEntries?: number
}

interface Expiring<T> {
  value: T
  expiresAtMs: number
}

/**
 * An index: order keys, appended as they come and sorted only when read (listing is rare,
 * recording is on every issued token; inserting in order would move the array on every token
 * issued in the same second, their ids being random).
 */
class SortedKeys {
  keys: string[] = []
  private sorted = true

  add(key: string): void {
    const keys = this.keys
    if (this.sorted && keys.length > 0 && keys[keys.length - 1] >= key) this.sorted = false
    keys.push(key)
  }

  /** The keys in ascending order, without repeats. */
  ordered(): string[] {
    if (!this.sorted) {
      const keys = this.keys.sort()
      let n = 0
      for (let i = 0; i < keys.length; i++)
        if (i === 0 || keys[i] !== keys[n - 1]) keys[n++] = keys[i]
      keys.length = n
      this.sorted = true
    }
    return this.keys
  }

  /** Up to `count` keys strictly below `below`, largest first. */
  below(below: string | undefined, count: number): string[] {
    const keys = this.ordered()
    let i = below === undefined ? keys.length : lowerBound(keys, below)
    const out: string[] = []
    while (i > 0 && out.length < count) out.push(keys[--i])
    return out
  }

  remove(drop: ReadonlySet<string>): void {
    this.keys = this.keys.filter((k) => !drop.has(k))
  }
}

function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (keys[mid] < key) lo = mid + 1
    else hi = mid
  }
  return lo
}

// Expired data is swept at most this often (and looked up entries are checked one by one).
const SWEEP_INTERVAL_MS = 10_000

/**
 * A token registry in this process's memory: the embedded default. Entries, revocations and
 * cutoffs are dropped once the tokens they cover have expired, so memory follows the live tokens,
 * and at most `maxEntries` entries are kept (the oldest leave first).
 * Revocations hold in this process only; use {@link createRedisRegistry} for a fleet.
 *
 * @example
 * ```ts
 * const registry = createMemoryRegistry()
 * await registry.record(entryFromToken(token, { issuedTo: 'apikey:backend-1', tags: ['kiosk'] }))
 * await registry.revoke({ userId: '42' }, 'account closed')
 * await verifyWithRegistry(token, appCertificate, registry) // throws TokenRevoked
 * ```
 */
export function createMemoryRegistry(options: MemoryRegistryOptions = {}): TokenRegistry {
  const settings = settingsOf(options)
  const maxEntries = options.maxEntries ?? 10_000
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1)
    throw new InvalidArgument(`maxEntries: expected a positive integer, got ${String(maxEntries)}`)
  const entries = new Map<string, Expiring<TokenEntry>>()
  const marks = new Map<string, Expiring<Mark>>()
  const cutoffs = new Map<string, Expiring<Cutoff>>()
  const indexes = new Map<string, SortedKeys>()
  let nextSweep = 0

  function live<T>(map: Map<string, Expiring<T>>, key: string, now: number): T | undefined {
    const item = map.get(key)
    if (item === undefined) return undefined
    if (item.expiresAtMs > now) return item.value
    map.delete(key)
    return undefined
  }

  /** Drops expired entries, then the oldest (by issue time) down to nine tenths of the cap. */
  function makeRoom(now: number): void {
    for (const [key, item] of entries) if (item.expiresAtMs <= now) entries.delete(key)
    const keep = Math.floor(maxEntries * 0.9)
    const all = indexes.get('all')
    if (entries.size <= keep || all === undefined) return
    for (const order of all.ordered()) {
      entries.delete(order.slice(14))
      if (entries.size <= keep) break
    }
  }

  /** Drops index keys whose entries are gone (expired or evicted). */
  function pruneIndexes(): void {
    for (const [name, index] of indexes) {
      const stale = new Set(index.keys.filter((k) => !entries.has(k.slice(14))))
      if (stale.size > 0) index.remove(stale)
      if (index.keys.length === 0) indexes.delete(name)
    }
  }

  function sweep(now: number): void {
    if (now < nextSweep) return
    nextSweep = now + SWEEP_INTERVAL_MS
    for (const map of [entries, marks, cutoffs] as Map<string, Expiring<unknown>>[])
      for (const [key, item] of map) if (item.expiresAtMs <= now) map.delete(key)
    pruneIndexes()
  }

  const store: Store = {
    async putEntry(entry, order, ttlMs, names) {
      const now = nowMs(settings)
      sweep(now)
      if (live(entries, entry.id, now) !== undefined) return false
      if (entries.size >= maxEntries) makeRoom(now)
      // The entry is the registry's own validated copy (checkEntry), so it is kept as it is.
      entries.set(entry.id, { value: entry, expiresAtMs: now + ttlMs })
      for (const name of names) {
        let index = indexes.get(name)
        if (index === undefined) {
          index = new SortedKeys()
          indexes.set(name, index)
        }
        index.add(order)
      }
      // Evicted entries leave their index keys behind; clear them once they could double the
      // indexes (an amortized few checks per record), besides the periodic sweep.
      if ((indexes.get('all')?.keys.length ?? 0) > 2 * maxEntries) pruneIndexes()
      return true
    },
    async read(ids, scopeKeys) {
      const now = nowMs(settings)
      sweep(now)
      const found = new Map<string, Cutoff>()
      for (const key of scopeKeys) {
        const c = live(cutoffs, key, now)
        if (c) found.set(key, { ...c })
      }
      return {
        entries: ids.map((id) => {
          const e = live(entries, id, now)
          return e && copyEntry(e)
        }),
        marks: ids.map((id) => {
          const m = live(marks, id, now)
          return m && { ...m }
        }),
        cutoffs: found,
      }
    },
    async scan(name, below, count) {
      return indexes.get(name)?.below(below, count) ?? []
    },
    async forget(name, orders) {
      indexes.get(name)?.remove(new Set(orders))
    },
    async mark(id, mark, ttlMs) {
      const now = nowMs(settings)
      const entry = entries.get(id)
      const recorded = entry !== undefined && entry.expiresAtMs > now
      if (live(marks, id, now) !== undefined) return { newly: false, recorded }
      marks.set(id, { value: { ...mark }, expiresAtMs: recorded ? entry.expiresAtMs : now + ttlMs })
      return { newly: true, recorded }
    },
    async setCutoff(key, cutoff, ttlMs) {
      const now = nowMs(settings)
      const current = live(cutoffs, key, now)
      if (current !== undefined && current.beforeMs >= cutoff.beforeMs) return false
      cutoffs.set(key, { value: { ...cutoff }, expiresAtMs: now + ttlMs })
      return true
    },
    async close() {
      entries.clear()
      marks.clear()
      cutoffs.clear()
      indexes.clear()
    },
  }
  return createRegistry(store, settings)
}
