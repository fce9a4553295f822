// Exponential backoff with full jitter: the wait before retry n is uniform in [0, cap(n)) with
// cap(n) = min(maxDelay, baseDelay * 2^(n-1)), so that clients failing together spread out
// instead of returning to a recovering token server at the same moments.

/** The wait in ms after failed attempt `attempt` (1-based); `random` returns a value in [0, 1). */
export function fullJitterDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))
  const r = random()
  return cap * (r > 0 ? Math.min(r, 1) : 0)
}
