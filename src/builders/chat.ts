/**
 * `ChatTokenBuilder`: agora-token's Chat builders.
 *
 * @module
 */
import { checkIdentity } from './guards.js'
import { buildFromDraft, type BuilderContext } from './pipeline.js'
import { builderClass, type BuilderClass } from './builder-class.js'

/**
 * agora-token's `ChatTokenBuilder`. `expire` is in seconds from now. Invalid input throws
 * `InvalidArgument` instead of returning `''`.
 */
export interface ChatTokenBuilder extends BuilderClass {
  /**
   * A Chat user token for `userId` (the user privilege lasting as long as the token).
   *
   * @example
   * ```ts
   * const token = ChatTokenBuilder.buildUserToken(appId, appCertificate, 'alice', 3600)
   * ```
   */
  buildUserToken(
    appId: string,
    appCertificate: string,
    userId: string | number,
    expire: number,
  ): string
  /**
   * A Chat app token (for the app's server, e.g. to call the Chat REST API).
   *
   * @example
   * ```ts
   * const token = ChatTokenBuilder.buildAppToken(appId, appCertificate, 3600)
   * ```
   */
  buildAppToken(appId: string, appCertificate: string, expire: number): string
}

/** ChatTokenBuilder bound to a context. */
export function createChatTokenBuilder(ctx: BuilderContext): ChatTokenBuilder {
  return builderClass<ChatTokenBuilder>('ChatTokenBuilder', {
    buildUserToken: (appId, appCertificate, userId, expire) =>
      buildFromDraft(ctx, appId, appCertificate, (checks) => {
        const id = checkIdentity(userId, 'userId', checks.strict)
        const seconds = checks.seconds(expire, 'expire')
        const chat = { type: 'chat', userId: id, privileges: { user: seconds } } as const
        return { expire: seconds, services: [chat] }
      }),
    buildAppToken: (appId, appCertificate, expire) =>
      buildFromDraft(ctx, appId, appCertificate, (checks) => {
        const seconds = checks.seconds(expire, 'expire')
        const chat = { type: 'chat', userId: '', privileges: { app: seconds } } as const
        return { expire: seconds, services: [chat] }
      }),
  })
}
