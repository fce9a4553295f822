// Times as the page shows them: ISO 8601 in UTC, and spans such as "in 59m 58s".

/** ISO 8601 (whole seconds, UTC) of Unix seconds. */
export function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
}

/** A span of milliseconds as at most three units: `2d 3h 4m`, `59m 58s`, `5s`. */
export function span(ms: number): string {
  let rest = Math.floor(Math.abs(ms) / 1000)
  const parts: string[] = []
  for (const [suffix, size] of [
    ['y', 365 * 86_400],
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const amount = Math.floor(rest / size)
    rest -= amount * size
    if (amount > 0 || parts.length > 0) parts.push(`${amount}${suffix}`)
    if (parts.length === 3) break
  }
  const shown = parts.filter((p) => !/^0\D$/.test(p))
  return shown.length === 0 ? '0s' : shown.join(' ')
}

/** Where `atMs` lies from `nowMs`: `in 59m 58s`, `3m 2s ago`, `now`. */
export function relative(atMs: number, nowMs: number): string {
  const delta = atMs - nowMs
  if (Math.abs(delta) < 1000) return 'now'
  return delta > 0 ? `in ${span(delta)}` : `${span(delta)} ago`
}

/** A deadline's state: `expires in 59m 58s` or `expired 3m ago`. */
export function deadline(atMs: number, nowMs: number): string {
  return `${nowMs < atMs ? 'expires' : 'expired'} ${relative(atMs, nowMs)}`
}
