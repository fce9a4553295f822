// What a revocation check looks at: a token's id, issue time and identity fields, the cutoff
// scopes that can cover it, and the rule that decides which revocation applies.
import { InvalidArgument, tokenId, type DecodedToken, type TokenEntry } from '../index.js'
import { copyEntry, TOKEN_ID_PATTERN } from './entry.js'
import { scopeKey, scopeOfKey } from './filter.js'
import type { CutoffScope, Revocation, TokenRef, TokenSubject } from './types.js'

/** A token as a revocation check sees it. */
export interface Subject {
  id: string
  /** Unknown when only an id was given and nothing is recorded under it. */
  issuedAtMs?: number
  channelNames: string[]
  uids: string[]
  userIds: string[]
}

/** A token's own revocation (by id). */
export interface Mark {
  revokedAtMs: number
  reason?: string
}

/** A bulk-revocation cutoff: tokens of its scope issued before `beforeMs` are refused. */
export interface Cutoff {
  beforeMs: number
  revokedAtMs: number
  reason?: string
}

// More scope keys than this for one token means a token naming dozens of channels or users:
// refuse to guess rather than check a subset.
const MAX_SCOPE_KEYS = 64

function list(value: string | readonly string[] | undefined, field: string): string[] {
  if (value === undefined) return []
  const items = typeof value === 'string' ? [value] : value
  if (!Array.isArray(items) || items.some((v) => typeof v !== 'string'))
    throw new InvalidArgument(`ref.${field}: expected a string or an array of strings`)
  return [...new Set(items)]
}

/** The subject of a token reference: an id, a decoded token, or a subject given by hand. */
export function subjectOf(ref: TokenRef): Subject {
  if (typeof ref === 'string') {
    if (!TOKEN_ID_PATTERN.test(ref))
      throw new InvalidArgument('id: expected a token id (tokenId(token): 22 base64url characters)')
    return { id: ref, channelNames: [], uids: [], userIds: [] }
  }
  if (typeof ref !== 'object' || ref === null)
    throw new InvalidArgument('ref: expected a token id, a decoded token or a token subject')
  if ('signature' in ref) return subjectOfToken(ref as DecodedToken)
  const s = ref as TokenSubject
  if (typeof s.id !== 'string' || !TOKEN_ID_PATTERN.test(s.id))
    throw new InvalidArgument('ref.id: expected a token id (22 base64url characters)')
  if (!(s.issuedAt instanceof Date) || Number.isNaN(s.issuedAt.getTime()))
    throw new InvalidArgument('ref.issuedAt: expected a valid Date')
  return {
    id: s.id,
    issuedAtMs: s.issuedAt.getTime(),
    channelNames: list(s.channelName, 'channelName'),
    uids: list(s.uid, 'uid'),
    userIds: list(s.userId, 'userId'),
  }
}

function subjectOfToken(token: DecodedToken): Subject {
  const subject: Subject = { id: tokenId(token), channelNames: [], uids: [], userIds: [] }
  if (token.version === '006') {
    // The references set a 006 token's ts to its issue time + 24 h.
    subject.issuedAtMs = (token.ts - 86_400) * 1000
    return subject
  }
  subject.issuedAtMs = token.issueTs * 1000
  for (const s of token.services) {
    if ('channelName' in s) subject.channelNames.push(s.channelName)
    if (s.type === 'rtc') subject.uids.push(s.uid)
    if ('userId' in s) subject.userIds.push(s.userId)
  }
  subject.channelNames = [...new Set(subject.channelNames)]
  subject.uids = [...new Set(subject.uids)]
  subject.userIds = [...new Set(subject.userIds)]
  return subject
}

/** The subject completed with what the recorded entry knows (a 006 token's channel and uid). */
export function withEntry(subject: Subject, entry: TokenEntry | undefined): Subject {
  if (entry === undefined) return subject
  const add = (values: string[], value: string | undefined) =>
    value === undefined || values.includes(value) ? values : [...values, value]
  return {
    id: subject.id,
    issuedAtMs: subject.issuedAtMs ?? entry.issuedAt.getTime(),
    channelNames: add(subject.channelNames, entry.channelName),
    uids: add(subject.uids, entry.uid),
    userIds: add(subject.userIds, entry.userId),
  }
}

/** Every cutoff scope key that covers the subject, `*` (every token) included. */
export function scopeKeysOf(subject: Subject): string[] {
  const count =
    (subject.channelNames.length + 1) * (subject.uids.length + 1) * (subject.userIds.length + 1)
  if (count > MAX_SCOPE_KEYS) {
    throw new InvalidArgument(
      `token names too many channels, uids and user ids (${count} combinations) to check against revocations`,
    )
  }
  const keys: string[] = []
  for (const channelName of [undefined, ...subject.channelNames])
    for (const uid of [undefined, ...subject.uids])
      for (const userId of [undefined, ...subject.userIds])
        keys.push(scopeKey({ channelName, uid, userId } as CutoffScope))
  return keys
}

/**
 * The revocation that applies: the token's own (by id) first, else the cutoff with the latest
 * time among those that cover it. A cutoff needs the issue time: for an id nothing is recorded
 * under, only the token's own revocation can be known.
 */
export function decideRevocation(
  subject: Subject,
  entry: TokenEntry | undefined,
  mark: Mark | undefined,
  cutoffs: ReadonlyMap<string, Cutoff>,
): Revocation | undefined {
  if (mark !== undefined) {
    const revocation: Revocation = { revokedAt: new Date(mark.revokedAtMs) }
    if (mark.reason !== undefined) revocation.reason = mark.reason
    if (entry) revocation.entry = revokedEntry(entry, revocation)
    return revocation
  }
  const issuedAtMs = subject.issuedAtMs
  if (issuedAtMs === undefined) return undefined
  let found: [string, Cutoff] | undefined
  for (const [key, cutoff] of cutoffs) {
    if (issuedAtMs < cutoff.beforeMs && (!found || cutoff.beforeMs > found[1].beforeMs))
      found = [key, cutoff]
  }
  if (!found) return undefined
  const [key, cutoff] = found
  const revocation: Revocation = {
    revokedAt: new Date(cutoff.revokedAtMs),
    cutoff: { scope: scopeOfKey(key), issuedBefore: new Date(cutoff.beforeMs) },
  }
  if (cutoff.reason !== undefined) revocation.reason = cutoff.reason
  if (entry) revocation.entry = revokedEntry(entry, revocation)
  return revocation
}

/** A copy of the entry showing its revocation. */
export function revokedEntry(entry: TokenEntry, revocation: Revocation | undefined): TokenEntry {
  const copy = copyEntry(entry)
  if (revocation) {
    copy.revokedAt = new Date(revocation.revokedAt.getTime())
    if (revocation.reason !== undefined) copy.reason = revocation.reason
  }
  return copy
}
