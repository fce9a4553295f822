// The registry logic, written once over a Store: validation, listing with cursors, revocation by
// id and by filter (with cutoffs), and the revocation decision.
import { InvalidArgument, type TokenEntry } from '../index.js'
import { checkEntry, checkText, ENTRY_LIMITS } from './entry.js'
import {
  checkCursor,
  checkFilter,
  checkLimit,
  cutoffScopeOf,
  type Filter,
  isEmptyFilter,
  matches,
  orderKey,
  scopeKey,
  upperBound,
} from './filter.js'
import { nowMs, type Settings } from './options.js'
import { indexesOf, type Store } from './store.js'
import {
  type Cutoff,
  decideRevocation,
  type Mark,
  revokedEntry,
  scopeKeysOf,
  subjectOf,
  withEntry,
} from './subject.js'
import type { Revocation, RevokeResult, TokenPage, TokenRef, TokenRegistry } from './types.js'

// A list page reads at most this many index members before it returns a short page with a
// cursor, so that a rare filter combination cannot make one request walk a whole index.
const MAX_SCANNED_PER_PAGE = 5000
const REVOKE_BATCH = 500

/** The index a filter is best served by: the most selective field it names. */
function indexFor(f: Filter): string {
  if (f.correlationId !== undefined) return `k:${f.correlationId}`
  if (f.userId !== undefined) return `u:${f.userId}`
  if (f.uid !== undefined) return `i:${f.uid}`
  if (f.channelName !== undefined) return `c:${f.channelName}`
  if (f.tag !== undefined) return `t:${f.tag}`
  return 'all'
}

function ceilToSecond(ms: number): number {
  return Math.ceil(ms / 1000) * 1000
}

/** A {@link TokenRegistry} over a store. */
export function createRegistry(store: Store, settings: Settings): TokenRegistry {
  const keepMs = (settings.maxTokenLifetime + settings.clockTolerance) * 1000

  /** Matching live entries below `below`, in order, until `limit` or the scan budget is reached. */
  async function collect(
    f: Filter,
    below: string | undefined,
    limit: number,
    budget: number,
  ): Promise<{ found: { order: string; entry: TokenEntry }[]; next?: string }> {
    const index = indexFor(f)
    const found: { order: string; entry: TokenEntry }[] = []
    let scanned = 0
    let cursor = below
    for (;;) {
      const want = Math.min(Math.max(limit - found.length, 100), 1000)
      const orders = await store.scan(index, cursor, want)
      if (orders.length === 0) return { found }
      const ids = orders.map((o) => o.slice(14))
      const { entries } = await store.read(ids, [])
      const stale: string[] = []
      for (let i = 0; i < orders.length; i++) {
        const entry = entries[i]
        if (entry === undefined) stale.push(orders[i])
        else if (matches(entry, f)) {
          found.push({ order: orders[i], entry })
          if (found.length === limit) {
            if (stale.length > 0) await store.forget(index, stale)
            const last = i === orders.length - 1 && orders.length < want
            return last ? { found } : { found, next: orders[i] }
          }
        }
      }
      if (stale.length > 0) await store.forget(index, stale)
      cursor = orders[orders.length - 1]
      scanned += orders.length
      if (orders.length < want) return { found }
      if (scanned >= budget) return { found, next: cursor }
    }
  }

  /** The entries with their revocations (marks and covering cutoffs) shown. */
  async function resolve(entries: TokenEntry[]): Promise<TokenEntry[]> {
    if (entries.length === 0) return []
    const subjects = entries.map((e) => withEntry(subjectOf(e.id), e))
    const keys = [...new Set(subjects.flatMap(scopeKeysOf))]
    const { marks, cutoffs } = await store.read(
      entries.map((e) => e.id),
      keys,
    )
    return entries.map((entry, i) => {
      const own = new Map<string, Cutoff>()
      for (const key of scopeKeysOf(subjects[i])) {
        const c = cutoffs.get(key)
        if (c) own.set(key, c)
      }
      return revokedEntry(entry, decideRevocation(subjects[i], entry, marks[i], own))
    })
  }

  async function revocationOf(ref: TokenRef): Promise<Revocation | undefined> {
    let subject = subjectOf(ref)
    const keys = scopeKeysOf(subject)
    const first = await store.read([subject.id], keys)
    const entry = first.entries[0]
    const cutoffs = first.cutoffs
    if (entry !== undefined) {
      subject = withEntry(subject, entry)
      const more = scopeKeysOf(subject).filter((k) => !keys.includes(k))
      if (more.length > 0) {
        for (const [k, c] of (await store.read([], more)).cutoffs) cutoffs.set(k, c)
      }
    }
    return decideRevocation(subject, entry, first.marks[0], cutoffs)
  }

  function checkReason(reason: unknown): string | undefined {
    return reason === undefined ? undefined : checkText(reason, 'reason', ENTRY_LIMITS.reasonLength)
  }

  return {
    maxTokenLifetime: settings.maxTokenLifetime,
    clockTolerance: settings.clockTolerance,

    async record(value) {
      const now = nowMs(settings)
      const entry = checkEntry(value, settings, now)
      const ttlMs = entry.expiresAt.getTime() + settings.clockTolerance * 1000 - now
      return store.putEntry(
        entry,
        orderKey(entry.issuedAt.getTime(), entry.id),
        ttlMs,
        indexesOf(entry),
        orderKey(now - keepMs, ''),
      )
    },

    async get(id) {
      const subject = subjectOf(id)
      const entry = (await store.read([subject.id], [])).entries[0]
      return entry === undefined ? undefined : (await resolve([entry]))[0]
    },

    async list(filter, options) {
      const f = checkFilter(filter)
      const limit = checkLimit(options)
      const below = upperBound(checkCursor(options), f)
      const { found, next } = await collect(f, below, limit, MAX_SCANNED_PER_PAGE)
      const items = await resolve(found.map((x) => x.entry))
      return next === undefined ? { items } : ({ items, nextCursor: next } satisfies TokenPage)
    },

    async revoke(target, reason) {
      const why = checkReason(reason)
      const now = nowMs(settings)
      const mark: Mark = { revokedAtMs: now }
      if (why !== undefined) mark.reason = why
      if (typeof target === 'string') {
        const { id } = subjectOf(target)
        const { newly, recorded } = await store.mark(id, mark, keepMs)
        return { revoked: newly && recorded ? 1 : 0 }
      }
      const f = checkFilter(target, 'filter')
      if (isEmptyFilter(f)) {
        throw new InvalidArgument(
          'filter: name at least one of userId, uid, channelName, tag, correlationId, issuedBefore (revoking every token takes an explicit issuedBefore)',
        )
      }
      if (f.issuedBeforeMs !== undefined && f.issuedBeforeMs > now) {
        throw new InvalidArgument('filter.issuedBefore: must not be in the future')
      }
      // Tokens carry whole seconds: a token issued in the cutoff's own second counts as before
      // it (refusing a fresh token beats honouring a revoked one).
      const beforeMs = ceilToSecond(f.issuedBeforeMs ?? now)
      const bounded: Filter = { ...f, issuedBeforeMs: beforeMs }
      const result: RevokeResult = { revoked: 0 }
      const scope = cutoffScopeOf(f)
      if (scope !== undefined) {
        const cutoff: Cutoff = { beforeMs, revokedAtMs: now }
        if (why !== undefined) cutoff.reason = why
        await store.setCutoff(scopeKey(scope), cutoff, beforeMs + keepMs - now)
        result.cutoff = { scope, issuedBefore: new Date(beforeMs) }
      }
      let below = upperBound(undefined, bounded)
      for (;;) {
        const { found, next } = await collect(
          bounded,
          below,
          REVOKE_BATCH,
          Number.POSITIVE_INFINITY,
        )
        const outcomes = await Promise.all(found.map((x) => store.mark(x.entry.id, mark, keepMs)))
        result.revoked += outcomes.filter((o) => o.newly && o.recorded).length
        if (next === undefined) return result
        below = next
      }
    },

    async isRevoked(ref) {
      return (await revocationOf(ref)) !== undefined
    },

    getRevocation: revocationOf,

    close: () => store.close(),
  }
}
