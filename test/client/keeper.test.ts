// The token keeper under injected time (`now`, `setTimer`): every rule of issue 16 with real
// tokens from our builders, a token server that answers when the test says so, and a clock that
// moves only when the test moves it.
import { describe, expect, it } from 'vitest'
import {
  ClockSkewDetected,
  createTokenKeeper,
  InvalidArgument,
  TokenError,
  TokenKeeperStopped,
  TokenRenewalMismatch,
  type TokenKeeperOptions,
} from '../../src/client/index.js'
import {
  buildToken,
  buildToken006,
  decodeToken,
  rtcToken,
  rtmToken,
  type RtcTokenOptions,
} from '../../src/index.js'
import { FakeTime, deferred, settle } from './fake-time.js'

const appId = '970CA35de60c44645bbae8a215061b33'
const appCertificate = '5cfd2fd1755d40ecb72977518be15d3b'
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0)
const S = 1000
const MIN = 60 * S

let salt = 1000

type Issue = Partial<RtcTokenOptions> & { skewMs?: number }

/** A token server on the fake clock (optionally skewed), issuing with our rtcToken. */
class Server {
  calls = 0
  signals: AbortSignal[] = []
  failWith: unknown = undefined
  hold = false
  holds: ReturnType<typeof deferred<string>>[] = []
  issue: Issue = {}

  constructor(readonly time: FakeTime) {}

  token(issue: Issue = this.issue): string {
    const { skewMs = 0, ...options } = issue
    return rtcToken({
      appId,
      appCertificate,
      channelName: 'room',
      uid: 42,
      role: 'publisher',
      expiresIn: 3600,
      source: { now: () => this.time.nowMs + skewMs, salt: () => ++salt },
      ...options,
    } as RtcTokenOptions)
  }

  fetchToken = async ({ signal }: { signal: AbortSignal }): Promise<string> => {
    this.calls++
    this.signals.push(signal)
    if (this.hold) {
      const d = deferred<string>()
      this.holds.push(d)
      return d.promise
    }
    if (this.failWith !== undefined) throw this.failWith
    return this.token()
  }
}

interface Reported {
  error: unknown
  attempt: number
  willRetry: boolean
  atMs: number
}

function setup(options: Partial<TokenKeeperOptions> = {}, issue: Issue = {}) {
  const time = new FakeTime(T0)
  const server = new Server(time)
  server.issue = issue
  const errors: Reported[] = []
  const tokens: { token: string; atMs: number }[] = []
  const keeper = createTokenKeeper({
    fetchToken: server.fetchToken,
    now: time.now,
    setTimer: time.setTimer,
    random: () => 1,
    onError: (error, info) => errors.push({ error, ...info, atMs: time.nowMs }),
    onToken: (token) => tokens.push({ token, atMs: time.nowMs }),
    ...options,
  })
  return { time, server, errors, tokens, keeper }
}

describe('getToken', () => {
  it('fetches once for 50 concurrent callers and hands every one the same token', async () => {
    const { server, keeper, tokens, time } = setup()
    server.hold = true
    const calls = Array.from({ length: 50 }, () => keeper.getToken())
    await settle()
    expect(server.calls).toBe(1)
    const token = server.token()
    server.holds[0].resolve(token)
    const got = await Promise.all(calls)
    expect(new Set(got)).toEqual(new Set([token]))
    expect(tokens).toEqual([{ token, atMs: time.nowMs }])
  })

  it('returns the held token without fetching while it is valid', async () => {
    const { server, keeper, time } = setup()
    const first = await keeper.getToken()
    await time.advance(30 * MIN)
    expect(await keeper.getToken()).toBe(first)
    expect(server.calls).toBe(1)
  })

  it('gives onToken the token and its decoded form', async () => {
    const seen: unknown[] = []
    const { keeper } = setup({ onToken: (token, decoded) => seen.push(token, decoded) })
    const token = await keeper.getToken()
    expect(seen[0]).toBe(token)
    expect(seen[1]).toEqual(decodeToken(token))
    expect((seen[1] as { services: { channelName: string }[] }).services[0].channelName).toBe(
      'room',
    )
  })

  it('fetches a new token when the held one has expired and no renewal ran', async () => {
    // A timer that never fires (a suspended tab): getToken still never hands out a dead token.
    const { server, keeper, time } = setup({ setTimer: () => () => {} }, { expiresIn: 600 })
    const first = await keeper.getToken()
    time.nowMs = T0 + 600 * S
    const second = await keeper.getToken()
    expect(second).not.toBe(first)
    expect(server.calls).toBe(2)
  })

  it('starts a renewal that is due when its timer is late, and still answers at once', async () => {
    const { server, keeper, time } = setup({ setTimer: () => () => {} }, { expiresIn: 600 })
    const first = await keeper.getToken()
    time.nowMs = T0 + 590 * S
    expect(await keeper.getToken()).toBe(first)
    await settle()
    expect(server.calls).toBe(2)
    expect(await keeper.getToken()).not.toBe(first)
  })
})

describe('renewal ahead of expiry', () => {
  async function renewalTime(options: Partial<TokenKeeperOptions>, issue: Issue) {
    const { server, keeper, time, tokens } = setup(options, issue)
    await keeper.getToken()
    const due = time.nextDue()
    if (due === undefined) throw new Error('no renewal scheduled')
    await time.advanceTo(due - 1)
    expect(server.calls).toBe(1)
    await time.advanceTo(due)
    expect(server.calls).toBe(2)
    expect(tokens).toHaveLength(2)
    return (due - T0) / S
  }

  it('by default renews 60 s ahead of a 1 h token (20% would be 12 min)', async () => {
    expect(await renewalTime({}, { expiresIn: 3600 })).toBe(3540)
  })

  it('by default renews 20% ahead of a 100 s token (60 s would be more)', async () => {
    expect(await renewalTime({}, { expiresIn: 100 })).toBe(80)
  })

  it("takes refreshBefore as a duration ('30s') or a fraction (0.5)", async () => {
    expect(await renewalTime({ refreshBefore: '30s' }, { expiresIn: 3600 })).toBe(3570)
    expect(await renewalTime({ refreshBefore: '2m' }, { expiresIn: 3600 })).toBe(3480)
    expect(await renewalTime({ refreshBefore: 0.5 }, { expiresIn: 3600 })).toBe(1800)
  })

  it('uses a token for at least half its lifetime even when refreshBefore is longer', async () => {
    expect(await renewalTime({ refreshBefore: '2h' }, { expiresIn: 3600 })).toBe(1800)
  })

  it('counts the earliest privilege expiry, not only the token expiry', async () => {
    // Video publishing ends after 10 min in a 1 h token: renew 60 s before the 10 min.
    const issue = { expiresIn: 3600, privilegeExpiresIn: { publishVideoStream: '10m' } }
    expect(await renewalTime({}, issue)).toBe(540)
  })

  it('treats a token as over when its earliest privilege has expired', async () => {
    const issue = { expiresIn: 3600, privilegeExpiresIn: { joinChannel: 300 } }
    const { server, keeper, time } = setup({ setTimer: () => () => {} }, issue)
    const first = await keeper.getToken()
    time.nowMs = T0 + 299 * S
    expect(await keeper.getToken()).toBe(first)
    time.nowMs = T0 + 300 * S
    expect(await keeper.getToken()).not.toBe(first)
    expect(server.calls).toBe(2)
  })

  it('keeps renewing: each new token goes to onToken and to getToken', async () => {
    const { keeper, time, tokens } = setup({}, { expiresIn: 100 })
    await keeper.getToken()
    await time.advance(80 * S)
    await time.advance(80 * S)
    await time.advance(80 * S)
    expect(tokens.map((t) => (t.atMs - T0) / S)).toEqual([0, 80, 160, 240])
    expect(await keeper.getToken()).toBe(tokens[3].token)
    expect(new Set(tokens.map((t) => t.token)).size).toBe(4)
  })

  it('splits a wait longer than setTimeout allows and renews on time', async () => {
    // A 40-day token renews 60 s before its end, which is beyond the 2^31 - 1 ms timer limit.
    const { keeper, time, server } = setup({}, { expiresIn: '40d', maxLifetime: '40d' })
    await keeper.getToken()
    expect(Math.max(...time.delays)).toBeLessThanOrEqual(2 ** 31 - 1)
    await time.advanceTo(T0 + (40 * 86_400 - 61) * S)
    expect(server.calls).toBe(1)
    await time.advanceTo(T0 + (40 * 86_400 - 60) * S)
    expect(server.calls).toBe(2)
  })

  it('renews a legacy 006 token by its earliest absolute privilege time', async () => {
    const time = new FakeTime(T0)
    let calls = 0
    const keeper = createTokenKeeper({
      now: time.now,
      setTimer: time.setTimer,
      onError: () => {},
      fetchToken: async () => {
        calls++
        const now = time.nowMs / 1000
        return buildToken006({
          appId,
          appCertificate,
          channelName: 'room',
          uid: 42,
          ts: now + 86_400,
          privileges: { joinChannel: now + 1000, publishAudioStream: 0 },
        })
      },
    })
    await keeper.getToken()
    expect(time.nextDue()).toBe(T0 + 940 * S)
    await time.advanceTo(T0 + 940 * S)
    expect(calls).toBe(2)
    keeper.stop()
  })
})

describe('refresh()', () => {
  it('fetches now, resolves with the new token and reschedules from it', async () => {
    const { keeper, time, server, tokens } = setup({}, { expiresIn: 100 })
    const first = await keeper.getToken()
    await time.advance(10 * S)
    const second = await keeper.refresh()
    expect(second).not.toBe(first)
    expect(tokens.map((t) => t.token)).toEqual([first, second])
    expect(await keeper.getToken()).toBe(second)
    expect(time.nextDue()).toBe(T0 + 90 * S)
    expect(server.calls).toBe(2)
  })

  it('joins the fetch in flight instead of starting another', async () => {
    const { keeper, server } = setup()
    server.hold = true
    const a = keeper.getToken()
    const b = keeper.refresh()
    const c = keeper.refresh()
    await settle()
    expect(server.calls).toBe(1)
    const token = server.token()
    server.holds[0].resolve(token)
    expect(await Promise.all([a, b, c])).toEqual([token, token, token])
  })

  it('rejects with the failure, which also goes to onError', async () => {
    const { keeper, server, errors } = setup()
    await keeper.getToken()
    const failure = new Error('token server: 503')
    server.failWith = failure
    await expect(keeper.refresh()).rejects.toBe(failure)
    expect(errors).toEqual([{ error: failure, attempt: 1, willRetry: true, atMs: T0 }])
  })
})

describe('failures, backoff and the old token', () => {
  it('retries with exponential backoff and full jitter up to maxDelay', async () => {
    const draws = [1, 0.5, 1, 1, 1, 0.25, 1]
    const { keeper, server, time, errors } = setup(
      { retry: { baseDelay: '1s', maxDelay: '10s' }, random: () => draws.shift() ?? 1 },
      { expiresIn: 3600 },
    )
    await keeper.getToken()
    server.failWith = new Error('down')
    await time.advanceTo(T0 + 3540 * S)
    const starts: number[] = []
    for (let i = 0; i < 7; i++) {
      starts.push(time.nowMs)
      const due = time.nextDue()
      if (due === undefined) throw new Error('no retry scheduled')
      await time.advanceTo(due)
    }
    const gaps = starts.slice(1).map((s, i) => (s - starts[i]) / S)
    // caps 1, 2, 4, 8, 10, 10 s times the draws 1, 0.5, 1, 1, 1, 0.25
    expect(gaps).toEqual([1, 1, 4, 8, 10, 2.5])
    expect(errors.map((e) => [e.attempt, e.willRetry])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => [n, true]),
    )
    expect(errors.every((e) => e.error === server.failWith)).toBe(true)
  })

  it('draws each wait below its cap with the default Math.random', async () => {
    const { keeper, server, time, errors } = setup(
      { random: undefined, retry: { baseDelay: 1000, maxDelay: 8000 } },
      { expiresIn: 3600 },
    )
    await keeper.getToken()
    server.failWith = new Error('down')
    await time.advanceTo(T0 + 3540 * S)
    const caps = [1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000]
    for (const cap of caps) {
      const due = time.nextDue()!
      const wait = due - time.nowMs
      expect(wait).toBeGreaterThanOrEqual(0)
      expect(wait).toBeLessThan(cap)
      await time.advanceTo(due)
    }
    expect(errors).toHaveLength(caps.length + 1)
  })

  it('keeps handing out the old token while it is valid and fetching fails', async () => {
    const { keeper, server, time } = setup({}, { expiresIn: 100 })
    const first = await keeper.getToken()
    server.failWith = new Error('down')
    await time.advanceTo(T0 + 80 * S)
    const callsAtFailure = server.calls
    for (const t of [81, 90, 99]) {
      await time.advanceTo(T0 + t * S)
      expect(await keeper.getToken()).toBe(first)
    }
    // getToken did not add requests of its own: only the backoff timer fetches.
    expect(server.calls).toBeLessThanOrEqual(callsAtFailure + 5)
  })

  it('rejects getToken with the fetch error once the token has expired, then recovers', async () => {
    const { keeper, server, time, tokens } = setup(
      { retry: { baseDelay: '4s', maxDelay: '4s' } },
      { expiresIn: 100 },
    )
    const first = await keeper.getToken()
    const failure = new TypeError('fetch failed')
    server.failWith = failure
    await time.advanceTo(T0 + 100 * S)
    await expect(keeper.getToken()).rejects.toBe(failure)
    const calls = server.calls
    await expect(keeper.getToken()).rejects.toBe(failure)
    expect(server.calls).toBe(calls)
    server.failWith = undefined
    await time.advance(4 * S)
    const renewed = await keeper.getToken()
    expect(renewed).not.toBe(first)
    expect(tokens.at(-1)?.token).toBe(renewed)
  })

  it('rejects every waiting caller with the error of a first fetch that fails', async () => {
    const { keeper, server, errors } = setup()
    const failure = new Error('401 unauthorized')
    server.failWith = failure
    const results = await Promise.allSettled([keeper.getToken(), keeper.getToken()])
    expect(results).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ])
    expect(server.calls).toBe(1)
    expect(errors.map((e) => [e.attempt, e.willRetry])).toEqual([[1, true]])
  })

  it('stops retrying after retry.attempts and starts again on the next getToken', async () => {
    const { keeper, server, time, errors } = setup(
      { retry: { attempts: 3, baseDelay: '1s', maxDelay: '1s' } },
      { expiresIn: 100 },
    )
    await keeper.getToken()
    server.failWith = new Error('down')
    await time.advanceTo(T0 + 99 * S)
    expect(errors.map((e) => [e.attempt, e.willRetry])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ])
    expect(time.active()).toEqual([])
    await time.advanceTo(T0 + 100 * S)
    server.failWith = undefined
    await expect(keeper.getToken()).resolves.toMatch(/^007/)
    expect(server.calls).toBe(5)
  })

  it('keeps the renewal timer when a forced refresh fails for good', async () => {
    const { keeper, server, time } = setup({ retry: { attempts: 1 } }, { expiresIn: 3600 })
    await keeper.getToken()
    server.failWith = new Error('down')
    await time.advance(10 * S)
    await expect(keeper.refresh()).rejects.toThrow('down')
    expect(time.nextDue()).toBe(T0 + 3540 * S)
  })
})

describe('a renewed token must keep its identity', () => {
  async function renewWith(issue: Issue | (() => string)) {
    const ctx = setup({}, { expiresIn: 100 })
    const first = await ctx.keeper.getToken()
    ctx.server.issue = typeof issue === 'function' ? {} : { expiresIn: 100, ...issue }
    if (typeof issue === 'function') ctx.server.token = issue
    await ctx.time.advanceTo(T0 + 80 * S)
    return { ...ctx, first }
  }

  for (const [claim, issue] of [
    ['uid', { uid: 43 }],
    ['channelName', { channelName: 'other-room' }],
    ['appId', { appId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }],
  ] as const) {
    it(`reports another ${claim} (Agora error 110) and keeps the old token`, async () => {
      const { keeper, errors, first, tokens } = await renewWith(issue)
      expect(errors).toHaveLength(1)
      const error = errors[0].error as TokenRenewalMismatch
      expect(error).toBeInstanceOf(TokenRenewalMismatch)
      expect(error).toBeInstanceOf(TokenError)
      expect(error.code).toBe('ERR_TOKEN_RENEWAL_MISMATCH')
      expect(error.claim).toBe(claim)
      expect(errors[0].willRetry).toBe(true)
      expect(await keeper.getToken()).toBe(first)
      expect(tokens).toHaveLength(1)
    })
  }

  it('reports a token for another service', async () => {
    const { errors, keeper, first } = await renewWith(() =>
      rtmToken({ appId, appCertificate, userId: '42', expiresIn: 100 }),
    )
    expect((errors[0].error as TokenRenewalMismatch).claim).toBe('service')
    expect((errors[0].error as Error).message).toContain('rtm')
    expect(await keeper.getToken()).toBe(first)
  })

  it('accepts other privileges for the same identity (a subscriber becomes a publisher)', async () => {
    const ctx = setup({}, { expiresIn: 100, role: 'subscriber' })
    const first = await ctx.keeper.getToken()
    ctx.server.issue = { expiresIn: 100, role: 'publisher' }
    await ctx.time.advanceTo(T0 + 80 * S)
    expect(ctx.errors).toEqual([])
    expect(await ctx.keeper.getToken()).not.toBe(first)
  })

  it('rejects getToken with the mismatch once the old token has expired', async () => {
    const { keeper, time } = await renewWith({ uid: 43 })
    await time.advanceTo(T0 + 100 * S)
    await expect(keeper.getToken()).rejects.toBeInstanceOf(TokenRenewalMismatch)
  })
})

describe('values that are not a usable token', () => {
  async function firstError(value: unknown) {
    const { keeper, errors } = setup({ fetchToken: async () => value as string })
    const rejection = await keeper.getToken().then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(errors[0].error).toBe(rejection)
    return rejection as TokenError
  }

  it('turns a fetchToken that throws synchronously into a rejection', async () => {
    const boom = new Error('no session')
    const time = new FakeTime(T0)
    const errors: unknown[] = []
    const keeper = createTokenKeeper({
      fetchToken: (() => {
        throw boom
      }) as unknown as TokenKeeperOptions['fetchToken'],
      now: time.now,
      setTimer: time.setTimer,
      onError: (error) => errors.push(error),
    })
    await expect(keeper.getToken()).rejects.toBe(boom)
    expect(errors).toEqual([boom])
    keeper.stop()
  })

  it('refuses a response object with a hint to return its token field', async () => {
    const error = await firstError({ token: '007abc' })
    expect(error).toBeInstanceOf(InvalidArgument)
    expect(error.message).toContain('token field')
  })

  it('refuses text that is not a token with the decoder error', async () => {
    expect((await firstError('<!DOCTYPE html>')).code).toBe('ERR_TOKEN_VERSION')
    expect((await firstError('007not-base64!')).code).toBe('ERR_TOKEN_MALFORMED')
  })

  it('refuses a token whose lifetime ran out while the request was under way', async () => {
    const { keeper, server, time, errors } = setup({}, { expiresIn: 4 })
    server.hold = true
    const pending = keeper.getToken()
    await settle()
    const token = server.token()
    await time.advance(10 * S)
    server.holds[0].resolve(token)
    await expect(pending).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' })
    expect((errors[0].error as Error).message).toContain('already expired')
    expect(errors[0].willRetry).toBe(true)
  })

  it('refuses a token with no lifetime', async () => {
    const zero = buildToken({
      appId,
      appCertificate,
      issueTs: T0 / 1000,
      expire: 0,
      salt: 1,
      services: [{ type: 'rtc', channelName: 'room', uid: '42', privileges: { joinChannel: 0 } }],
    })
    const error = await firstError(zero)
    expect(error.code).toBe('ERR_TOKEN_EXPIRED')
    expect(error.message).toContain('lifetime is zero')
  })
})

describe('clock skew', () => {
  for (const [label, skewMs] of [
    ['ahead of', 2 * 3600 * S],
    ['behind', -2 * 3600 * S],
  ] as const) {
    it(`times renewals by the token's lifetime when the server's clock is 2 h ${label} ours`, async () => {
      const { keeper, errors, time, server } = setup({}, { expiresIn: 3600, skewMs })
      const first = await keeper.getToken()
      // Renewal 60 s before the end of the token's own hour, on the local clock.
      expect(time.nextDue()).toBe(T0 + 3540 * S)
      expect(await keeper.getToken()).toBe(first)
      expect(errors).toHaveLength(1)
      const error = errors[0].error as ClockSkewDetected
      expect(error).toBeInstanceOf(ClockSkewDetected)
      expect(error.code).toBe('ERR_CLOCK_SKEW')
      // At least this far apart: the whole-second issue time leaves a second unknown.
      expect(Math.abs(error.skewMs - skewMs)).toBeLessThanOrEqual(1000)
      expect(errors[0].willRetry).toBe(false)
      // Reported once: later tokens from the same skewed server are silent.
      await time.advanceTo(T0 + 3540 * S)
      await time.advanceTo(T0 + 2 * 3540 * S)
      expect(server.calls).toBe(3)
      expect(errors).toHaveLength(1)
    })
  }

  it('does not report a few seconds of skew', async () => {
    const { keeper, errors, time } = setup({}, { expiresIn: 3600, skewMs: 3 * S })
    await keeper.getToken()
    expect(errors).toEqual([])
    // Clocks this close are compared directly; the lifetime after arrival bounds the end.
    expect(time.nextDue()).toBe(T0 + 3540 * S)
  })

  it('does not mistake a slow request or the whole-second issue time for skew', async () => {
    const { keeper, errors, time, server } = setup({}, { expiresIn: 600 })
    server.hold = true
    const pending = keeper.getToken()
    await settle()
    await time.advance(900)
    const token = server.token()
    await time.advance(1500)
    server.holds[0].resolve(token)
    await pending
    expect(errors).toEqual([])
  })
})

describe('stop()', () => {
  it('clears every timer and rejects later calls with ERR_KEEPER_STOPPED', async () => {
    const { keeper, time } = setup()
    await keeper.getToken()
    expect(time.active()).toHaveLength(1)
    keeper.stop()
    expect(time.active()).toEqual([])
    await expect(keeper.getToken()).rejects.toBeInstanceOf(TokenKeeperStopped)
    await expect(keeper.refresh()).rejects.toMatchObject({ code: 'ERR_KEEPER_STOPPED' })
  })

  it('aborts a fetch in flight, rejects its callers, and ignores its late answer', async () => {
    const { keeper, server, time, tokens, errors } = setup()
    server.hold = true
    const waiting = keeper.getToken()
    await settle()
    keeper.stop()
    expect(server.signals[0].aborted).toBe(true)
    await expect(waiting).rejects.toBeInstanceOf(TokenKeeperStopped)
    server.holds[0].resolve(server.token())
    await settle()
    expect(tokens).toEqual([])
    expect(errors).toEqual([])
    expect(time.active()).toEqual([])
  })

  it('runs nothing after stop during a backoff wait', async () => {
    const { keeper, server, time, errors } = setup()
    server.failWith = new Error('down')
    await keeper.getToken().catch(() => {})
    expect(time.active()).toHaveLength(1)
    keeper.stop()
    await time.advance(3600 * S)
    expect(server.calls).toBe(1)
    expect(errors).toHaveLength(1)
  })
})

describe('stop() from a callback', () => {
  it('skips onToken when onError stopped the keeper on the skew report', async () => {
    const time = new FakeTime(T0)
    const server = new Server(time)
    server.issue = { skewMs: 2 * 3600 * S }
    const tokens: string[] = []
    const keeper = createTokenKeeper({
      fetchToken: server.fetchToken,
      now: time.now,
      setTimer: time.setTimer,
      onError: () => keeper.stop(),
      onToken: (token) => tokens.push(token),
    })
    await keeper.getToken()
    expect(tokens).toEqual([])
    expect(time.active()).toEqual([])
  })
})

describe('callbacks that throw', () => {
  it('sends an onToken exception to onError and keeps the token', async () => {
    const boom = new Error('renewToken failed')
    const { keeper, errors } = setup({
      onToken: () => {
        throw boom
      },
    })
    const token = await keeper.getToken()
    expect(errors.map((e) => e.error)).toEqual([boom])
    expect(await keeper.getToken()).toBe(token)
  })
})

describe('options', () => {
  const fetchToken = async () => ''
  it.each([
    [undefined, 'options: expected an object'],
    [{}, 'options.fetchToken: expected a function'],
    [{ fetchToken, refreshBefore: 5 }, "such as '30s'"],
    [{ fetchToken, refreshBefore: 1 }, 'between 0 and 1'],
    [{ fetchToken, refreshBefore: '30 seconds' }, 'refreshBefore: expected milliseconds'],
    [{ fetchToken, retry: { attempts: 0 } }, 'options.retry.attempts'],
    [{ fetchToken, retry: { attempts: 1.5 } }, 'options.retry.attempts'],
    [{ fetchToken, retry: { baseDelay: -1 } }, 'options.retry.baseDelay'],
    [{ fetchToken, retry: { baseDelay: '10s', maxDelay: '1s' } }, 'is shorter than'],
    [{ fetchToken, retry: 3 }, 'options.retry: expected an object'],
    [{ fetchToken, now: 5 }, 'options.now: expected a function'],
    [{ fetchToken, setTimer: {} }, 'options.setTimer: expected a function'],
  ])('refuses %j with a message naming the option', (options, message) => {
    expect(() => createTokenKeeper(options as TokenKeeperOptions)).toThrow(InvalidArgument)
    expect(() => createTokenKeeper(options as TokenKeeperOptions)).toThrow(message)
  })

  it('accepts Infinity attempts and millisecond numbers', () => {
    const keeper = createTokenKeeper({
      fetchToken,
      retry: { attempts: Number.POSITIVE_INFINITY, baseDelay: 250, maxDelay: '1m' },
      refreshBefore: '1.5m',
    })
    keeper.stop()
  })
})

describe('default timers', () => {
  it('never keep the Node process alive', async () => {
    const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    const before = timeouts()
    const server = new Server(new FakeTime(Date.now()))
    const keeper = createTokenKeeper({ fetchToken: server.fetchToken })
    await keeper.getToken()
    // A renewal is scheduled (a refresh() would replace it), yet no timer holds the process.
    expect(timeouts()).toBe(before)
    keeper.stop()
  })
})
