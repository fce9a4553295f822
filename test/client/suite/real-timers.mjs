// The keeper against a real token server with real timers and 3-second tokens. Runtime-neutral
// (no imports, only fetch and setTimeout): Node runs it in vitest (real-timers.test.ts) and
// Chromium runs it in a page that loads the built client bundle (browser.browser.ts).
//
// runKeeperSuite({ createTokenKeeper, tokenUrl, headers, control }) resolves to a list of
// { name, ok, detail }; control is { down(), up(), requests() } for the token server.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until `test()` is true, checking every 20 ms, for at most `ms`. */
async function until(test, ms) {
  const end = Date.now() + ms
  while (!test()) {
    if (Date.now() > end) return false
    await sleep(20)
  }
  return true
}

function decodeEnd(events, token) {
  const found = events.find((e) => e.type === 'token' && e.token === token)
  return found ? found.endMs : Number.NaN
}

export async function runKeeperSuite({ createTokenKeeper, tokenUrl, headers = {}, control }) {
  const checks = []
  const check = (name, ok, detail) => checks.push({ name, ok: Boolean(ok), detail })
  const events = []
  const BASE = 150
  const MAX = 1200
  const keeper = createTokenKeeper({
    fetchToken: async ({ signal }) => {
      events.push({ type: 'fetch', at: Date.now() })
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({
          type: 'rtc',
          channelName: 'room',
          uid: 42,
          role: 'publisher',
          expiresIn: 3,
        }),
        signal,
      })
      if (!response.ok) throw new Error(`token server answered ${response.status}`)
      return (await response.json()).token
    },
    retry: { baseDelay: BASE, maxDelay: MAX },
    // A second ahead of the end of a 3 s token: room for a slow request on a busy machine.
    refreshBefore: '1s',
    // Full jitter drawn from the upper half of each cap: every wait is at least the one before
    // while the caps double, so the growth of the gaps can be checked with real timers.
    random: () => 0.5 + Math.random() / 2,
    onToken: (token, decoded) => {
      // A 007 token ends at its earliest privilege expiry; the tokens here grant all for 3 s.
      events.push({ type: 'token', at: Date.now(), token, endMs: decoded.expiresAt.getTime() })
    },
    onError: (error, info) => {
      events.push({
        type: 'error',
        at: Date.now(),
        message: String(error?.message ?? error),
        ...info,
      })
    },
  })
  const count = (type) => events.filter((e) => e.type === type).length
  try {
    // 1. Fifty concurrent callers, one request.
    const before = await control.requests()
    const tokens = await Promise.all(Array.from({ length: 50 }, () => keeper.getToken()))
    const served = (await control.requests()) - before
    check(
      '50 concurrent getToken() make one request',
      new Set(tokens).size === 1 && count('fetch') === 1 && served === 1,
      `${new Set(tokens).size} distinct tokens, ${count('fetch')} fetches, ${served} requests served`,
    )
    const first = tokens[0]
    const firstEnd = decodeEnd(events, first)

    // 2. Renewed on its own before the first token ends.
    const renewed = await until(() => count('token') >= 2, 4000)
    const second = events.filter((e) => e.type === 'token')[1]
    check(
      'renewed before expiry',
      renewed && second.at < firstEnd && second.token !== first,
      renewed
        ? `renewed ${firstEnd - second.at} ms before the first token's end`
        : 'no renewal within 4 s',
    )
    check(
      'getToken() returns the renewed token',
      (await keeper.getToken()) === second?.token,
      'after the renewal',
    )

    // 3. The server goes down right after that renewal, past the end of the token in hand.
    await control.down()
    const downAt = Date.now()
    const held = second.token
    const heldEnd = second.endMs
    const observations = []
    while (Date.now() < heldEnd + 2500) {
      const at = Date.now()
      const result = await keeper.getToken().then(
        (token) => ({ token }),
        (error) => ({ error: String(error?.message ?? error) }),
      )
      observations.push({ at, ...result })
      await sleep(50)
    }
    const beforeEnd = observations.filter((o) => o.at < heldEnd - 30)
    const afterEnd = observations.filter((o) => o.at > heldEnd + 30)
    check(
      'the old token is used until its end while the server is down',
      beforeEnd.length > 0 && beforeEnd.every((o) => o.token === held),
      `${beforeEnd.length} calls before its end, ${beforeEnd.filter((o) => o.token === held).length} got it`,
    )
    check(
      'getToken() rejects after the end while fetching fails',
      afterEnd.length > 0 && afterEnd.every((o) => o.error !== undefined),
      `${afterEnd.length} calls after its end, ${afterEnd.filter((o) => o.error).length} rejected (${afterEnd[0]?.error})`,
    )
    // Down until 2.5 s after the token's end: with caps of 150, 300, 600 and 1200 ms at least
    // five fetches fail in the outage. A gap is the wait from a failure to the next attempt.
    const failures = events.filter((e) => e.type === 'error' && e.at >= downAt)
    // Fetches never overlap, so failure i ends fetch i of the outage and fetch i + 1 is its retry
    // (times are whole milliseconds: a refused fetch can fail within the millisecond it began).
    const fetches = events.filter((e) => e.type === 'fetch' && e.at >= downAt)
    const gaps = failures
      .map((failure, i) => (fetches[i + 1] ? fetches[i + 1].at - failure.at : undefined))
      .filter((gap) => gap !== undefined)
    // Wait k is drawn from [cap/2, cap) with caps of 150, 300, 600 and 1200 ms: a timer never
    // fires early, and may fire late on a busy machine (up to 500 ms allowed).
    const caps = [BASE, 2 * BASE, 4 * BASE, 8 * BASE]
    const doubling = gaps.slice(0, 4)
    const inRange = doubling.every((g, i) => g >= caps[i] / 2 - 2 && g <= caps[i] + 500)
    const mean = (list) => list.reduce((a, b) => a + b, 0) / list.length
    const growing = mean(gaps.slice(-2)) > 2 * mean(gaps.slice(0, 2))
    check(
      'retries with growing gaps while the server is down',
      gaps.length >= 4 &&
        inRange &&
        growing &&
        failures.every(
          (e, i) => e.willRetry && (i === 0 || e.attempt === failures[i - 1].attempt + 1),
        ),
      `waits ${gaps.join(', ')} ms; attempts ${failures.map((e) => e.attempt).join(', ')}`,
    )

    // 4. Back up: the next retry gets a token, and getToken() serves it.
    await control.up()
    const upAt = Date.now()
    const recovered = await until(
      () => events.some((e) => e.type === 'token' && e.at >= upAt),
      MAX + 2000,
    )
    const latest = recovered ? await keeper.getToken() : undefined
    const third = events.filter((e) => e.type === 'token').at(-1)
    check(
      'recovers after the server is back',
      recovered && latest === third.token && third.endMs > Date.now(),
      recovered ? `new token ${third.at - upAt} ms after the server came back` : 'no token',
    )
  } catch (error) {
    check('the suite ran to its end', false, String(error?.stack ?? error))
  } finally {
    keeper.stop()
  }
  return checks
}
