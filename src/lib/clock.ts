// The wall clock, in the unit tokens carry: whole Unix seconds.

/** The current Unix time in whole seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}
