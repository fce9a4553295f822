// Recording an issued token in the registry before it is handed out. A token the registry could
// not record is not handed out (503), unless failOpen says otherwise.
import { RegistryUnavailable, tokenId, type TokenEntry } from '../index.js'
import {
  checkCorrelationId,
  checkTags,
  checkText,
  checkUserId,
  ENTRY_LIMITS,
} from '../registry/entry.js'
import { HttpError } from './errors.js'
import type { Identity } from './identity.js'
import type { ResolvedOptions } from './options.js'
import type { TokenRequest } from './token-request.js'

/** What a caller may attach to a token in POST /token, for finding and revoking it later. */
export interface EntryDetails {
  label?: string
  correlationId?: string
  tags?: string[]
  /** Set by the server on POST /renew only: the id of the token this one renews. */
  renewedFrom?: string
}

/** The fields of a POST /token body that describe the entry rather than the token. */
export const ENTRY_DETAIL_FIELDS = ['label', 'correlationId', 'tags'] as const

function invalid(message: string): never {
  throw new HttpError(400, 'ERR_INVALID_ARGUMENT', message)
}

/**
 * Takes `label`, `correlationId` and `tags` out of a request body, checked (lengths, count,
 * charset), and returns them with the rest of the body.
 */
export function takeEntryDetails(body: Record<string, unknown>): {
  details: EntryDetails
  rest: Record<string, unknown>
} {
  const { label, correlationId, tags, ...rest } = body
  const details: EntryDetails = {}
  try {
    if (label !== undefined) details.label = checkText(label, 'label', ENTRY_LIMITS.labelLength)
    if (correlationId !== undefined) details.correlationId = checkCorrelationId(correlationId)
    if (tags !== undefined) details.tags = checkTags(tags)
  } catch (err) {
    invalid((err as Error).message)
  }
  return { details, rest }
}

/** What recording an issued token gave: its id, and whether the registry holds it. */
export interface Recorded {
  id: string
  recorded: boolean
}

/** Records an issued token; 503 when the registry is down (unless failOpen). */
export async function recordIssued(
  options: ResolvedOptions,
  identity: Identity,
  issued: { token: string; request: TokenRequest; issuedAt: number; expiresAt: number },
  details: EntryDetails,
): Promise<Recorded> {
  const { request } = issued
  const id = tokenId(issued.token)
  const entry: TokenEntry = {
    id,
    type: request.type,
    appId: options.appId,
    issuedAt: new Date(issued.issuedAt * 1000),
    expiresAt: new Date(issued.expiresAt * 1000),
    issuedTo: identity.id,
    ...details,
  }
  if (request.channelName !== undefined) entry.channelName = request.channelName
  if (request.uid !== undefined) entry.uid = checkUserId(request.uid, 'uid')
  const userId = request.userId ?? request.rtmUserId
  if (userId !== undefined) entry.userId = checkUserId(userId, 'userId')
  try {
    await options.registry.record(entry)
    return { id, recorded: true }
  } catch (err) {
    if (!(err instanceof RegistryUnavailable)) throw err
    if (options.failOpen) return { id, recorded: false }
    throw new HttpError(
      503,
      'ERR_REGISTRY_UNAVAILABLE',
      'the token registry is unavailable, so no token was issued; try again shortly',
      { 'Retry-After': '1' },
    )
  }
}
