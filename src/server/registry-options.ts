// The token server's registry options: where issued tokens are recorded, who may use the admin
// routes, and what happens while the registry's store is down. Checked here, once.
import { InvalidArgument } from '../index.js'
import { createMemoryRegistry } from '../registry/memory.js'
import type { TokenRegistry } from '../registry/types.js'
import type { Identity } from './identity.js'

/** The registry options of `createTokenServer`. */
export interface RegistryServerOptions {
  /**
   * Where every issued token is recorded and revocations are kept. Default: a memory registry
   * (this process only); `createRedisRegistry({ url })` shares both across a fleet.
   */
  registry?: TokenRegistry
  /**
   * API keys for the admin routes (`GET /tokens`, `GET /tokens/:id`, `DELETE /tokens/:id`,
   * `POST /revocations`), as `Authorization: Bearer <key>`; distinct from `apiKeys`. Each at least
   * 16 characters of `A-Z a-z 0-9 . _ ~ + / -`.
   */
  adminApiKeys?: readonly string[]
  /**
   * Lets an authenticated ordinary caller (a JWT with an admin role, say) use the admin routes.
   * Without it (and without an admin key) ordinary callers get 403 there.
   */
  authorizeAdmin?: (identity: Identity, request: Request) => boolean | Promise<boolean>
  /**
   * While the registry's store cannot be reached: `false` (default) refuses to issue and to
   * verify with 503; `true` issues unrecorded tokens (`"recorded": false`) and verifies without
   * the revocation check (`"revocationChecked": false`). Availability over revocation: choose it
   * knowingly.
   */
  failOpen?: boolean
}

/** The option names, for the server's list of known options. */
export const REGISTRY_OPTION_NAMES = ['registry', 'adminApiKeys', 'authorizeAdmin', 'failOpen']

/** The registry options after validation. */
export interface ResolvedRegistryOptions {
  registry: TokenRegistry
  adminApiKeys: string[]
  authorizeAdmin?: RegistryServerOptions['authorizeAdmin']
  failOpen: boolean
}

const API_KEY = /^[A-Za-z0-9._~+/-]{16,512}$/

function bad(path: string, expected: string): never {
  throw new InvalidArgument(`createTokenServer: ${path}: expected ${expected}`)
}

/** Checks the registry options and applies their defaults. */
export function resolveRegistryOptions(
  options: RegistryServerOptions,
  server: { apiKeys: readonly string[]; now: () => number; maxExpiresIn: number },
): ResolvedRegistryOptions {
  const registry = options.registry ?? createMemoryRegistry({ now: server.now })
  for (const method of ['record', 'get', 'list', 'revoke', 'getRevocation'] as const) {
    if (typeof registry?.[method] !== 'function') {
      bad('registry', 'a TokenRegistry (createMemoryRegistry(), createRedisRegistry({ url }))')
    }
  }
  let adminApiKeys: string[] = []
  if (options.adminApiKeys !== undefined) {
    if (!Array.isArray(options.adminApiKeys) || options.adminApiKeys.length === 0)
      bad('adminApiKeys', 'a non-empty list of keys')
    options.adminApiKeys.forEach((key, i) => {
      if (typeof key !== 'string' || !API_KEY.test(key))
        bad(
          `adminApiKeys[${i}]`,
          '16..512 characters of A-Z a-z 0-9 . _ ~ + / - (the value is not shown)',
        )
      if (server.apiKeys.includes(key))
        bad(
          `adminApiKeys[${i}]`,
          'a key that is not also an ordinary API key (the value is not shown)',
        )
    })
    adminApiKeys = [...options.adminApiKeys]
  }
  if (server.maxExpiresIn > registry.maxTokenLifetime) {
    bad(
      'maxExpiresIn',
      `at most the registry's maxTokenLifetime (${registry.maxTokenLifetime} s): it could not keep a revocation for a longer token's whole life`,
    )
  }
  if (options.authorizeAdmin !== undefined && typeof options.authorizeAdmin !== 'function')
    bad('authorizeAdmin', 'a function')
  const failOpen = options.failOpen ?? false
  if (typeof failOpen !== 'boolean') bad('failOpen', 'a boolean')
  return { registry, adminApiKeys, authorizeAdmin: options.authorizeAdmin, failOpen }
}
