// Injected time for the keeper: a clock that moves only when a test says so, and a timer list
// that fires in due order as it moves. Promise callbacks run between timers, as they would
// between real ones.

interface Timer {
  id: number
  dueMs: number
  delayMs: number
  callback: () => void
  cancelled: boolean
}

/** Lets pending promise callbacks (and the keeper's reactions to them) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

export class FakeTime {
  nowMs: number
  private timers: Timer[] = []
  private nextId = 1
  /** Every delay ever passed to setTimer, in order. */
  readonly delays: number[] = []

  constructor(startMs: number) {
    this.nowMs = startMs
  }

  now = (): number => this.nowMs

  setTimer = (callback: () => void, delayMs: number): (() => void) => {
    const timer = {
      id: this.nextId++,
      dueMs: this.nowMs + delayMs,
      delayMs,
      callback,
      cancelled: false,
    }
    this.timers.push(timer)
    this.delays.push(delayMs)
    return () => {
      timer.cancelled = true
    }
  }

  /** Timers not yet fired nor cancelled, soonest first. */
  active(): Timer[] {
    return this.timers.filter((t) => !t.cancelled).sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)
  }

  /** The local time at which the next timer fires, or undefined. */
  nextDue(): number | undefined {
    return this.active()[0]?.dueMs
  }

  /** Moves the clock forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.nowMs + ms)
  }

  async advanceTo(targetMs: number): Promise<void> {
    await settle()
    for (;;) {
      const next = this.active()[0]
      if (!next || next.dueMs > targetMs) break
      this.nowMs = Math.max(this.nowMs, next.dueMs)
      next.cancelled = true
      next.callback()
      await settle()
    }
    this.nowMs = targetMs
    await settle()
  }
}

/** A promise whose settling the test controls (a token server that answers when told). */
export function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok
    reject = fail
  })
  return { promise, resolve, reject }
}
