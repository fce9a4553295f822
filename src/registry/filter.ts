// Filters, the list order and cursors, and the scopes of bulk-revocation cutoffs. Shared by both
// stores so that they answer alike.
import { InvalidArgument, type TokenEntry } from '../index.js'
import {
  checkCorrelationId,
  checkDate,
  checkTag,
  checkText,
  checkUserId,
  ENTRY_LIMITS,
} from './entry.js'
import type { CutoffScope, ListOptions } from './types.js'

/** A validated filter: identity fields as the token writes them, the time in milliseconds. */
export interface Filter {
  userId?: string
  uid?: string
  channelName?: string
  tag?: string
  correlationId?: string
  issuedBeforeMs?: number
}

const FILTER_FIELDS = new Set([
  'userId',
  'uid',
  'channelName',
  'tag',
  'correlationId',
  'issuedBefore',
])

/** Validates a filter; an unknown field is refused (a typo must not widen a revocation). */
export function checkFilter(value: unknown, name = 'filter'): Filter {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidArgument(`${name}: expected an object`)
  const f = value as Record<string, unknown>
  const out: Filter = {}
  for (const key of Object.keys(f)) {
    if (!FILTER_FIELDS.has(key)) {
      throw new InvalidArgument(
        `${name}.${key}: not a filter field (userId, uid, channelName, tag, correlationId, issuedBefore)`,
      )
    }
    if (f[key] === undefined) continue
    if (key === 'userId') out.userId = checkUserId(f.userId, `${name}.userId`)
    else if (key === 'uid') out.uid = checkUserId(f.uid, `${name}.uid`)
    else if (key === 'channelName')
      out.channelName = checkText(f.channelName, `${name}.channelName`, ENTRY_LIMITS.identityLength)
    else if (key === 'tag') out.tag = checkTag(f.tag, `${name}.tag`)
    else if (key === 'correlationId')
      out.correlationId = checkCorrelationId(f.correlationId, `${name}.correlationId`)
    else out.issuedBeforeMs = checkDate(f.issuedBefore, `${name}.issuedBefore`).getTime()
  }
  return out
}

/** Whether an entry matches every field of a filter. */
export function matches(entry: TokenEntry, f: Filter): boolean {
  return (
    (f.userId === undefined || entry.userId === f.userId) &&
    (f.uid === undefined || entry.uid === f.uid) &&
    (f.channelName === undefined || entry.channelName === f.channelName) &&
    (f.correlationId === undefined || entry.correlationId === f.correlationId) &&
    (f.tag === undefined || (entry.tags?.includes(f.tag) ?? false)) &&
    (f.issuedBeforeMs === undefined || entry.issuedAt.getTime() < f.issuedBeforeMs)
  )
}

/** The limit of a page: 1..1000, default 100. */
export function checkLimit(options: ListOptions | undefined): number {
  const limit = options?.limit ?? 100
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new InvalidArgument(`options.limit: expected an integer 1..1000, got ${String(limit)}`)
  return limit
}

const CURSOR = /^\d{13}:[A-Za-z0-9_-]{22}$/

/**
 * Where an entry sorts: its issue time (13 digits of milliseconds) and its id. Lists run from the
 * largest key down, so newest first; the key of a page's last entry is the next page's cursor.
 */
export function orderKey(issuedAtMs: number, id: string): string {
  return `${String(Math.max(0, issuedAtMs)).padStart(13, '0')}:${id}`
}

/** A cursor from a previous page, validated; undefined for the first page. */
export function checkCursor(options: ListOptions | undefined): string | undefined {
  const cursor = options?.cursor
  if (cursor === undefined) return undefined
  if (typeof cursor !== 'string' || !CURSOR.test(cursor))
    throw new InvalidArgument('options.cursor: expected the nextCursor of a previous page')
  return cursor
}

/**
 * The largest order key a page may start below: the cursor, or the issuedBefore bound, whichever
 * is lower. Every key below it qualifies for the filter's time bound.
 */
export function upperBound(cursor: string | undefined, f: Filter): string | undefined {
  const bound = f.issuedBeforeMs === undefined ? undefined : orderKey(f.issuedBeforeMs, '')
  if (cursor === undefined) return bound
  if (bound === undefined) return cursor
  return cursor < bound ? cursor : bound
}

/**
 * The cutoff scope a revocation filter leaves: its identity fields, when it has no `tag` or
 * `correlationId` (those are not in a token, so only recorded entries can be found by them).
 */
export function cutoffScopeOf(f: Filter): CutoffScope | undefined {
  if (f.tag !== undefined || f.correlationId !== undefined) return undefined
  const scope: CutoffScope = {}
  if (f.channelName !== undefined) scope.channelName = f.channelName
  if (f.uid !== undefined) scope.uid = f.uid
  if (f.userId !== undefined) scope.userId = f.userId
  return scope
}

/** The key of a cutoff scope: its fields in a fixed order, URI-encoded; `*` for every token. */
export function scopeKey(scope: CutoffScope): string {
  const parts: string[] = []
  if (scope.channelName !== undefined) parts.push(`c=${encodeURIComponent(scope.channelName)}`)
  if (scope.uid !== undefined) parts.push(`i=${encodeURIComponent(scope.uid)}`)
  if (scope.userId !== undefined) parts.push(`u=${encodeURIComponent(scope.userId)}`)
  return parts.length === 0 ? '*' : parts.join('&')
}

/** The scope a key stands for (the inverse of {@link scopeKey}). */
export function scopeOfKey(key: string): CutoffScope {
  const scope: CutoffScope = {}
  if (key === '*') return scope
  for (const part of key.split('&')) {
    const value = decodeURIComponent(part.slice(2))
    if (part.startsWith('c=')) scope.channelName = value
    else if (part.startsWith('i=')) scope.uid = value
    else scope.userId = value
  }
  return scope
}

/** Whether a filter names anything at all (an empty one must not revoke every token). */
export function isEmptyFilter(f: Filter): boolean {
  return Object.keys(f).length === 0
}
