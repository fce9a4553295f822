// The few primitives a registry needs from a store. The registry logic (core.ts) is written once
// over them; the memory and Redis stores only keep data, so both answer alike.
import type { TokenEntry } from '../index.js'
import type { Cutoff, Mark } from './subject.js'

/** What a store returns for a batch of ids and cutoff scope keys. */
export interface StoreRead {
  /** The entry of each id (undefined when none is recorded or it has expired). */
  entries: (TokenEntry | undefined)[]
  /** Each id's own revocation. */
  marks: (Mark | undefined)[]
  /** The cutoffs found among the scope keys asked for. */
  cutoffs: Map<string, Cutoff>
}

/**
 * Storage primitives. Every time-to-live is in milliseconds from the registry's clock; an index
 * is a set of order keys (`orderKey`), read from the largest down.
 */
export interface Store {
  /**
   * Stores an entry (a fresh copy the store may keep) unless its id is recorded already (then
   * resolves false), adds its order key
   * to `indexes`, and drops index members below `pruneBelow` (all of them long expired).
   */
  putEntry(
    entry: TokenEntry,
    order: string,
    ttlMs: number,
    indexes: readonly string[],
    pruneBelow: string,
  ): Promise<boolean>
  /** Entries and marks of `ids`, and the cutoffs under `scopeKeys`, in one read. */
  read(ids: readonly string[], scopeKeys: readonly string[]): Promise<StoreRead>
  /** Up to `count` order keys of an index strictly below `below` (all when undefined), largest first. */
  scan(index: string, below: string | undefined, count: number): Promise<string[]>
  /** Removes index members whose entries have expired. */
  forget(index: string, orders: readonly string[]): Promise<void>
  /**
   * Marks an id revoked unless it is already (then `newly` is false). The mark lives as long as
   * the id's entry, or `ttlMs` when nothing is recorded under it.
   */
  mark(id: string, mark: Mark, ttlMs: number): Promise<{ newly: boolean; recorded: boolean }>
  /** Sets a cutoff unless one at least as late exists (then resolves false). */
  setCutoff(scopeKey: string, cutoff: Cutoff, ttlMs: number): Promise<boolean>
  /** Releases the store's resources. */
  close(): Promise<void>
}

/** The index names an entry is listed under (the same in every store). */
export function indexesOf(entry: TokenEntry): string[] {
  const names = ['all']
  if (entry.userId !== undefined) names.push(`u:${entry.userId}`)
  if (entry.uid !== undefined) names.push(`i:${entry.uid}`)
  if (entry.channelName !== undefined) names.push(`c:${entry.channelName}`)
  if (entry.correlationId !== undefined) names.push(`k:${entry.correlationId}`)
  for (const tag of entry.tags ?? []) names.push(`t:${tag}`)
  return names
}
