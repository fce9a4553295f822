// The drop-in builders are classes with static methods, as agora-token's are at run time: `new`,
// `extends` and `typeof X === 'function'` work. The statics are plain functions that ignore
// `this`, so a detached call (`const { buildTokenWithUid } = RtcTokenBuilder`) works too.

/** What `new` gives for a drop-in builder: an instance with no members, as in agora-token. */
export type BuilderInstance = Record<never, never>

/**
 * The constructor side of every drop-in builder class.
 *
 * @example
 * ```ts
 * class MyRtcTokenBuilder extends RtcTokenBuilder {}
 * MyRtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', 42, RtcRole.PUBLISHER, 3600)
 * ```
 */
export interface BuilderClass {
  /** An instance with no members; the builders are the static methods. */
  new (): BuilderInstance
}

/** A builder interface without its construct signature: the static methods alone. */
export type StaticMethods<T> = { [K in keyof T]: T[K] }

/**
 * A frozen class named `name` whose static methods are `methods` (non-enumerable, as a class's
 * static methods are).
 */
export function builderClass<T extends BuilderClass>(name: string, methods: StaticMethods<T>): T {
  const cls = { [name]: class {} }[name]
  for (const [key, value] of Object.entries(methods)) {
    Object.defineProperty(cls, key, { value, writable: true, configurable: true })
  }
  return Object.freeze(cls) as unknown as T
}
