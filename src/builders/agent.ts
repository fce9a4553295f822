/**
 * `ConvoAITokenBuilder` and `SttTokenBuilder`: agora-token 2.0.6's agent bundles, an RTC service,
 * an RTM login and an empty ConvoAI (type 9) or STT (type 10) service in one token.
 *
 * @module
 */
import type { BuilderContext } from './pipeline.js'
import { rtcRtmToken } from './rtc.js'
import { builderClass, type BuilderClass } from './builder-class.js'

/**
 * An agent token builder: `buildToken` takes the twelve arguments of
 * `RtcTokenBuilder.buildTokenWithRtm2`. Lifetimes are in seconds from now; invalid input throws
 * `InvalidArgument` instead of returning `''`.
 */
export interface AgentTokenBuilder extends BuilderClass {
  /**
   * A token carrying RTC (per-privilege lifetimes; a subscriber gets join only), an RTM login
   * for `rtmUserId`, and the agent service.
   *
   * @example
   * ```ts
   * const token = ConvoAITokenBuilder.buildToken(
   *   appId, appCertificate, 'room-1', 1001, RtcRole.PUBLISHER,
   *   3600, 3600, 3600, 3600, 3600, 'agent-1001', 3600,
   * )
   * ```
   */
  buildToken(
    appId: string,
    appCertificate: string,
    channelName: string,
    rtcAccount: string | number,
    rtcRole: number,
    rtcTokenExpire: number,
    joinChannelPrivilegeExpire: number,
    pubAudioPrivilegeExpire: number,
    pubVideoPrivilegeExpire: number,
    pubDataStreamPrivilegeExpire: number,
    rtmUserId: string | number,
    rtmTokenExpire: number,
  ): string
}

/** The Conversational AI agent builder bound to a context. */
export function createConvoAITokenBuilder(ctx: BuilderContext): AgentTokenBuilder {
  return builderClass<AgentTokenBuilder>('ConvoAITokenBuilder', {
    buildToken: (...args) => rtcRtmToken(ctx, args, ['convoai']),
  })
}

/** The speech-to-text agent builder bound to a context. */
export function createSttTokenBuilder(ctx: BuilderContext): AgentTokenBuilder {
  return builderClass<AgentTokenBuilder>('SttTokenBuilder', {
    buildToken: (...args) => rtcRtmToken(ctx, args, ['stt']),
  })
}
