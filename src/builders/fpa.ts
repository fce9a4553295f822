/**
 * `FpaTokenBuilder`: agora-token's FPA (full-path acceleration) builder.
 *
 * @module
 */
import { buildFromDraft, type BuilderContext } from './pipeline.js'
import { builderClass, type BuilderClass } from './builder-class.js'

/** agora-token's fixed FPA token lifetime: 24 hours. */
const FPA_EXPIRE = 24 * 3600

/**
 * agora-token's `FpaTokenBuilder`. Invalid input throws `InvalidArgument` instead of returning
 * `''`.
 */
export interface FpaTokenBuilder extends BuilderClass {
  /**
   * An FPA token, valid for 24 hours (its login privilege is written as 0, as every reference
   * does).
   *
   * @example
   * ```ts
   * const token = FpaTokenBuilder.buildToken(appId, appCertificate)
   * ```
   */
  buildToken(appId: string, appCertificate: string): string
}

/** FpaTokenBuilder bound to a context. */
export function createFpaTokenBuilder(ctx: BuilderContext): FpaTokenBuilder {
  return builderClass<FpaTokenBuilder>('FpaTokenBuilder', {
    buildToken: (appId, appCertificate) =>
      buildFromDraft(ctx, appId, appCertificate, () => ({
        expire: FPA_EXPIRE,
        services: [{ type: 'fpa', privileges: { login: 0 } }],
      })),
  })
}
