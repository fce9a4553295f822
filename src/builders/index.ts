/**
 * The drop-in builders: agora-token 2.0.6's API (same names, argument order and defaults) on top
 * of the raw {@link buildToken}. Migrating is a one-line change of the import:
 *
 * ```ts
 * // import { RtcTokenBuilder, RtcRole } from 'agora-token'
 * import { RtcTokenBuilder, RtcRole } from 'token007'
 * ```
 *
 * @module
 */
import { checkSource, defaultSource, type TokenSource } from './source.js'
import {
  createConvoAITokenBuilder,
  createSttTokenBuilder,
  type AgentTokenBuilder,
} from './agent.js'
import { createApaasTokenBuilder, type ApaasTokenBuilder as ApaasApi } from './apaas.js'
import { createChatTokenBuilder, type ChatTokenBuilder as ChatApi } from './chat.js'
import { createFpaTokenBuilder, type FpaTokenBuilder as FpaApi } from './fpa.js'
import type { BuilderContext } from './pipeline.js'
import { createRtcTokenBuilder, type RtcTokenBuilder as RtcApi } from './rtc.js'
import { createRtmTokenBuilder, type RtmTokenBuilder as RtmApi } from './rtm.js'

export { RtcRole } from './rtc.js'
export { Rtm2Permissions } from './rtm.js'
export type { AgentTokenBuilder }

// Each builder is a value and a type of the same name, as agora-token's namespaces are.
/** The type of {@link RtcTokenBuilder}. */
export type RtcTokenBuilder = RtcApi
/** The type of {@link RtmTokenBuilder}. */
export type RtmTokenBuilder = RtmApi
/** The type of {@link ChatTokenBuilder}. */
export type ChatTokenBuilder = ChatApi
/** The type of {@link ApaasTokenBuilder}. */
export type ApaasTokenBuilder = ApaasApi
/** The type of {@link EducationTokenBuilder} (the same methods as ApaasTokenBuilder). */
export type EducationTokenBuilder = ApaasApi
/** The type of {@link FpaTokenBuilder}. */
export type FpaTokenBuilder = FpaApi
/** The type of {@link ConvoAITokenBuilder}. */
export type ConvoAITokenBuilder = AgentTokenBuilder
/** The type of {@link SttTokenBuilder}. */
export type SttTokenBuilder = AgentTokenBuilder

/**
 * Options of {@link createTokenBuilders}.
 *
 * @example
 * ```ts
 * createTokenBuilders(undefined, { guards: false })
 * ```
 */
export interface TokenBuildersOptions {
  /**
   * `false` turns off the guards against common mistakes (absolute timestamps or milliseconds as
   * lifetimes, RTC roles other than 1 and 2, the RTC uid string `'0'`, a certificate with
   * upper-case letters, the accounts `''`, `'undefined'` and `'null'`, user id 0 outside RTC
   * and RTM permission tokens), for code that depends on agora-token accepting them: any
   * integer role then gives a join-only token, as there. Type and range checks stay. Default
   * `true`. The list, with the hint each one gives: docs/migrating.md ("Guards against the usual mistakes").
   *
   * @example
   * ```ts
   * const { RtcTokenBuilder } = createTokenBuilders(undefined, { guards: false })
   * RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', 42, 0, 3600) // join-only, like agora-token
   * ```
   */
  guards?: boolean
}

/**
 * Every drop-in builder, bound to one clock and salt source.
 *
 * @example
 * ```ts
 * const builders: TokenBuilders = createTokenBuilders({ now: () => Date.now(), salt: () => 1 })
 * builders.ChatTokenBuilder.buildAppToken(appId, appCertificate, 3600)
 * ```
 */
export interface TokenBuilders {
  /** See {@link RtcTokenBuilder}. */
  RtcTokenBuilder: RtcTokenBuilder
  /** See {@link RtmTokenBuilder}. */
  RtmTokenBuilder: RtmTokenBuilder
  /** See {@link ChatTokenBuilder}. */
  ChatTokenBuilder: ChatTokenBuilder
  /** See {@link ApaasTokenBuilder}. */
  ApaasTokenBuilder: ApaasTokenBuilder
  /** The same methods as {@link ApaasTokenBuilder}, under agora-token's other name. */
  EducationTokenBuilder: EducationTokenBuilder
  /** See {@link FpaTokenBuilder}. */
  FpaTokenBuilder: FpaTokenBuilder
  /** Conversational AI agent tokens: RTC + RTM + ConvoAI (type 9). */
  ConvoAITokenBuilder: ConvoAITokenBuilder
  /** Speech-to-text agent tokens: RTC + RTM + STT (type 10). */
  SttTokenBuilder: SttTokenBuilder
}

/**
 * The drop-in builders bound to a clock and salt source: for tests and reproducible builds,
 * without patching `Date` or `crypto`. The package's own exports are these builders bound to
 * `Date.now()` and `crypto.getRandomValues`.
 *
 * @param source `now()` in Unix milliseconds (issueTs is its whole second) and `salt()`
 * @example
 * ```ts
 * const { RtcTokenBuilder } = createTokenBuilders({ now: () => 1_750_000_000_000, salt: () => 1 })
 * const token = RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', 42, RtcRole.PUBLISHER, 3600, 3600)
 * // the same token every time
 * ```
 * @throws {InvalidArgument} when `source` has no `now()` and `salt()` methods
 */
export function createTokenBuilders(
  source: TokenSource = defaultSource,
  options: TokenBuildersOptions = {},
): TokenBuilders {
  const ctx: BuilderContext = Object.freeze({
    source: checkSource(source, 'source'),
    strict: options.guards !== false,
  })
  return Object.freeze({
    RtcTokenBuilder: createRtcTokenBuilder(ctx),
    RtmTokenBuilder: createRtmTokenBuilder(ctx),
    ChatTokenBuilder: createChatTokenBuilder(ctx),
    ApaasTokenBuilder: createApaasTokenBuilder(ctx),
    EducationTokenBuilder: createApaasTokenBuilder(ctx, 'EducationTokenBuilder'),
    FpaTokenBuilder: createFpaTokenBuilder(ctx),
    ConvoAITokenBuilder: createConvoAITokenBuilder(ctx),
    SttTokenBuilder: createSttTokenBuilder(ctx),
  })
}

// Each default builder is its own pure call (not a property of one shared object) so that
// bundlers can drop the builders an application does not import.
const defaultContext: BuilderContext = /* @__PURE__ */ Object.freeze({
  source: defaultSource,
  strict: true,
})

/**
 * agora-token's `RtcTokenBuilder`: RTC tokens by uid or account, optionally with an RTM login.
 *
 * @example
 * ```ts
 * import { RtcTokenBuilder, RtcRole } from 'token007'
 * const token = RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', 42, RtcRole.PUBLISHER, 3600, 3600)
 * ```
 */
export const RtcTokenBuilder: RtcTokenBuilder =
  /* @__PURE__ */ createRtcTokenBuilder(defaultContext)

/**
 * agora-token's `RtmTokenBuilder`: RTM login tokens, optionally with RTM2 permissions.
 *
 * @example
 * ```ts
 * const token = RtmTokenBuilder.buildToken(appId, appCertificate, 'alice', 3600)
 * ```
 */
export const RtmTokenBuilder: RtmTokenBuilder =
  /* @__PURE__ */ createRtmTokenBuilder(defaultContext)

/**
 * agora-token's `ChatTokenBuilder`: Chat user and app tokens.
 *
 * @example
 * ```ts
 * const token = ChatTokenBuilder.buildUserToken(appId, appCertificate, 'alice', 3600)
 * ```
 */
export const ChatTokenBuilder: ChatTokenBuilder =
  /* @__PURE__ */ createChatTokenBuilder(defaultContext)

/**
 * agora-token's `ApaasTokenBuilder`: APaaS / Flexible Classroom room-user, user and app tokens.
 *
 * @example
 * ```ts
 * const token = ApaasTokenBuilder.buildRoomUserToken(appId, appCertificate, 'room-uuid', 'user-uuid', 2, 3600)
 * ```
 */
export const ApaasTokenBuilder: ApaasTokenBuilder =
  /* @__PURE__ */ createApaasTokenBuilder(defaultContext)

/**
 * agora-token's `EducationTokenBuilder`: the same methods as {@link ApaasTokenBuilder}.
 *
 * @example
 * ```ts
 * const token = EducationTokenBuilder.buildUserToken(appId, appCertificate, 'user-uuid', 3600)
 * ```
 */
export const EducationTokenBuilder: EducationTokenBuilder = /* @__PURE__ */ createApaasTokenBuilder(
  defaultContext,
  'EducationTokenBuilder',
)

/**
 * agora-token's `FpaTokenBuilder`: 24-hour FPA tokens.
 *
 * @example
 * ```ts
 * const token = FpaTokenBuilder.buildToken(appId, appCertificate)
 * ```
 */
export const FpaTokenBuilder: FpaTokenBuilder =
  /* @__PURE__ */ createFpaTokenBuilder(defaultContext)

/**
 * agora-token's `ConvoAITokenBuilder`: RTC + RTM + Conversational AI in one token.
 *
 * @example
 * ```ts
 * const token = ConvoAITokenBuilder.buildToken(
 *   appId, appCertificate, 'room-1', 1001, RtcRole.PUBLISHER,
 *   3600, 3600, 3600, 3600, 3600, 'agent-1001', 3600,
 * )
 * ```
 */
export const ConvoAITokenBuilder: ConvoAITokenBuilder =
  /* @__PURE__ */ createConvoAITokenBuilder(defaultContext)

/**
 * agora-token's `SttTokenBuilder`: RTC + RTM + speech-to-text in one token.
 *
 * @example
 * ```ts
 * const token = SttTokenBuilder.buildToken(
 *   appId, appCertificate, 'room-1', 2002, RtcRole.PUBLISHER,
 *   3600, 3600, 3600, 3600, 3600, 'stt-2002', 3600,
 * )
 * ```
 */
export const SttTokenBuilder: SttTokenBuilder =
  /* @__PURE__ */ createSttTokenBuilder(defaultContext)
