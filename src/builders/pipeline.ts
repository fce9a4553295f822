// The build pipeline every drop-in builder and typed function goes through: app credentials
// checked first, then one issueTs and salt from the bound source, then the builder's own checks
// (its draft), then the raw 007 packer, buildToken.
import { buildToken } from '../format/007/pack.js'
import { checkApp, checkSeconds } from './guards.js'
import { stamp, type TokenSource } from './source.js'
import type { Service } from '../types.js'

/** What a set of builders is bound to. */
export interface BuilderContext {
  readonly source: TokenSource
  /** Whether the guards against common mistakes are on (see guards.ts). */
  readonly strict: boolean
}

/** The part of a token a builder decides: its lifetime and its services. */
export interface Draft {
  expire: number
  services: Service[]
}

/** A builder's view of the guards, bound to its context and to the build's issueTs. */
export interface Checks {
  readonly strict: boolean
  /** The token's issueTs (Unix seconds), from the bound source. */
  readonly issueTs: number
  /** A lifetime in seconds from now (the absolute-time guard; the hint uses the issueTs). */
  seconds(value: unknown, path: string): number
}

/** Builds one token: `draft` validates the builder's arguments and assembles the services. */
export function buildFromDraft(
  ctx: BuilderContext,
  appId: unknown,
  appCertificate: unknown,
  draft: (checks: Checks) => Draft,
): string {
  checkApp(appId, appCertificate, ctx.strict)
  const { issueTs, salt } = stamp(ctx.source)
  const { expire, services } = draft(new BuildChecks(ctx.strict, issueTs))
  // checkApp has established that both are strings.
  return buildToken({
    appId: appId as string,
    appCertificate: appCertificate as string,
    expire,
    services,
    issueTs,
    salt,
  })
}

/** The {@link Checks} of one build. */
class BuildChecks implements Checks {
  constructor(
    readonly strict: boolean,
    readonly issueTs: number,
  ) {}

  seconds(value: unknown, path: string): number {
    return checkSeconds(value, path, this.strict, this.issueTs)
  }
}
