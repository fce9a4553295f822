// The keeper's one timer primitive: injectable for tests, and by default a timeout that never
// keeps a Node, Bun or Deno process alive (a keeper in a CLI or a test must not hang its exit).

/** Calls `callback` once after `delayMs`; the returned function cancels it. */
export type SetTimer = (callback: () => void, delayMs: number) => () => void

/** The longest delay setTimeout honours (2^31 - 1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647

/** `setTimeout`, unref'd where the runtime can (Node and Bun timers, Deno.unrefTimer). */
export const defaultSetTimer: SetTimer = (callback, delayMs) => {
  const handle = setTimeout(callback, delayMs)
  const timer = handle as unknown as { unref?: () => void }
  if (typeof timer === 'object' && typeof timer.unref === 'function') timer.unref()
  else {
    const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno
    deno?.unrefTimer?.(handle as unknown as number)
  }
  return () => clearTimeout(handle)
}
