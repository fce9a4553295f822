// "Did you mean": the known names closest to a mistyped one.

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two words. */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) rows[0][j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1)
      }
    }
  }
  return rows[a.length][b.length]
}

/**
 * The names in `known` that `word` most likely meant: those it starts (at least 3 characters),
 * else those within an edit distance of 2 (1 for short words), closest first.
 *
 * @example
 * ```ts
 * didYouMean('chanel', ['channel', 'uid']) // ['channel']
 * didYouMean('expire', ['expires-in', 'expires-at']) // ['expires-in', 'expires-at']
 * ```
 */
export function didYouMean(word: string, known: readonly string[]): string[] {
  const w = word.toLowerCase()
  if (w.length >= 3) {
    const prefixed = known.filter((k) => k.startsWith(w))
    if (prefixed.length > 0) return prefixed
  }
  const limit = w.length <= 4 ? 1 : 2
  return known
    .map((k) => ({ k, d: distance(w, k) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d)
    .map(({ k }) => k)
}

/** ` (did you mean --a or --b?)`, or '' when nothing is close. */
export function suggestion(word: string, known: readonly string[], prefix = ''): string {
  const close = didYouMean(word, known).slice(0, 3)
  if (close.length === 0) return ''
  return `; did you mean ${close.map((k) => `${prefix}${k}`).join(' or ')}?`
}
