/**
 * `token007/registry`: who was issued what, revocation, and state shared across a fleet.
 *
 * - {@link createMemoryRegistry}: the embedded store (one process).
 * - {@link createRedisRegistry}: Redis, shared by every instance.
 * - {@link verifyWithRegistry}: `verifyToken` plus revocation (`ERR_TOKEN_REVOKED`).
 *
 * Revocation holds for our own verifiers (`verifyWithRegistry`, the token server's `/verify`);
 * Agora's servers do not consult a registry.
 *
 * @packageDocumentation
 */
export { tokenId, TokenRevoked, RegistryUnavailable, type TokenEntry } from '../index.js'
export { entryFromToken, ENTRY_LIMITS, type EntryDetails } from './entry.js'
export { createMemoryRegistry, type MemoryRegistryOptions } from './memory.js'
export type { RegistryOptions } from './options.js'
export {
  createRedisRegistry,
  type RedisCommandClient,
  type RedisRegistryOptions,
  type RedisTokenRegistry,
} from './redis.js'
export {
  createRedisRateLimitStore,
  type RateLimitCounter,
  type RedisRateLimitStore,
  type RedisRateLimitStoreOptions,
} from './redis-rate-limit-store.js'
export type {
  CutoffScope,
  ListOptions,
  Revocation,
  RevokeResult,
  TokenFilter,
  TokenPage,
  TokenRef,
  TokenRegistry,
  TokenSubject,
} from './types.js'
export {
  verifyWithRegistry,
  type RegistryVerifiedToken,
  type RegistryVerifyOptions,
} from './verify.js'
