// Options both stores share: the clock, the longest token lifetime a revocation must outlast,
// and the clock tolerance entries and cutoffs are kept for.
import { InvalidArgument, parseDuration, type Duration } from '../index.js'

/** Options every registry store takes. */
export interface RegistryOptions {
  /** The clock, in Unix milliseconds. Default `Date.now`. */
  now?: () => number
  /**
   * The longest token lifetime the registry vouches for (default `'24h'`, Agora's documented
   * maximum). A bulk-revocation cutoff is kept this long after its time, so every token it covers
   * has expired before it is forgotten; entries living longer are refused by `record`, and tokens
   * living longer are refused by `verifyWithRegistry` (their revocation could not be kept).
   */
  maxTokenLifetime?: Duration
  /**
   * Seconds entries and cutoffs are kept past the tokens they cover, for verifiers whose clock
   * runs behind (default 60). `verifyWithRegistry` refuses a larger `clockTolerance`.
   */
  clockTolerance?: number
}

/** The validated options. */
export interface Settings {
  now: () => number
  /** Seconds. */
  maxTokenLifetime: number
  /** Seconds. */
  clockTolerance: number
}

/** Validates the common options, naming the one that is wrong. */
export function settingsOf(options: RegistryOptions): Settings {
  const now = options.now ?? Date.now
  if (typeof now !== 'function') {
    throw new InvalidArgument('now: expected a function returning Unix milliseconds')
  }
  const maxTokenLifetime = parseDuration(options.maxTokenLifetime ?? '24h', 'maxTokenLifetime')
  if (maxTokenLifetime < 1) {
    throw new InvalidArgument('maxTokenLifetime: expected at least one second')
  }
  const clockTolerance = options.clockTolerance ?? 60
  if (
    typeof clockTolerance !== 'number' ||
    !Number.isInteger(clockTolerance) ||
    clockTolerance < 0 ||
    clockTolerance > 86_400
  ) {
    throw new InvalidArgument(
      `clockTolerance: expected whole seconds 0..86400, got ${String(clockTolerance)}`,
    )
  }
  return { now, maxTokenLifetime, clockTolerance }
}

/** The current time from the injected clock, checked (a broken clock must not pass as 0). */
export function nowMs(settings: Settings): number {
  const ms = settings.now()
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new InvalidArgument('now: the clock returned something other than Unix milliseconds')
  }
  return Math.floor(ms)
}
