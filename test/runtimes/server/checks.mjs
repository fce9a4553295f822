// The smoke checks, run from Node over HTTP against a token server served by another runtime:
// each route and status once, a token verified offline, JWT (jose inside the runtime), CORS and
// the rate limit. Returns { passed, failed, failures }.
import { SignJWT } from 'jose'
import { verifyToken } from 'token007'
import { API_KEY, APP_ID, CERTIFICATE, JWT_SECRET, ORIGIN } from './config.mjs'

const json = (key) => ({
  'content-type': 'application/json',
  ...(key ? { authorization: `Bearer ${key}` } : {}),
})

function jwt(sub) {
  return new SignJWT({ sub, iss: 'smoke' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(JWT_SECRET))
}

async function errorCode(response) {
  const body = await response.json()
  return body?.error?.code
}

function must(condition, message) {
  if (!condition) throw new Error(message)
}

/** The checks, by name. */
function checks(origin) {
  const post = (path, body, key) =>
    fetch(`${origin}${path}`, { method: 'POST', headers: json(key), body: JSON.stringify(body) })
  return {
    'GET /healthz': async () => {
      const r = await fetch(`${origin}/healthz`)
      must(r.status === 200, `status ${r.status}`)
      must(r.headers.get('cache-control') === 'no-store', 'no Cache-Control: no-store')
      must(JSON.stringify(await r.json()) === '{"ok":true}', 'body')
    },
    'GET /ping': async () => {
      const r = await fetch(`${origin}/ping`)
      must((await r.text()) === 'pong', 'not pong')
    },
    'POST /token without a key: 401': async () => {
      const r = await post('/token', { type: 'fpa' })
      must(r.status === 401, `status ${r.status}`)
      must(/Bearer/.test(r.headers.get('www-authenticate') ?? ''), 'no WWW-Authenticate')
      must((await errorCode(r)) === 'ERR_UNAUTHENTICATED', 'code')
    },
    'POST /token with an API key: a valid token': async () => {
      const r = await post(
        '/token',
        { type: 'rtc', channelName: 'smoke', uid: 7, role: 'publisher' },
        API_KEY,
      )
      must(r.status === 200, `status ${r.status}: ${await r.clone().text()}`)
      const body = await r.json()
      must(body.type === 'rtc' && body.uid === 7 && body.clamped === false, JSON.stringify(body))
      verifyToken(body.token, CERTIFICATE, {
        appId: APP_ID,
        require: { service: 'rtc', channelName: 'smoke', uid: 7, privilege: 'publishVideoStream' },
      })
    },
    'POST /token with a JWT: a token for its subject': async () => {
      const r = await post('/token', { type: 'rtm' }, await jwt('smoke-user'))
      must(r.status === 200, `status ${r.status}: ${await r.clone().text()}`)
      const body = await r.json()
      verifyToken(body.token, CERTIFICATE, { require: { service: 'rtm', userId: 'smoke-user' } })
    },
    'POST /token for another user with a JWT: 403': async () => {
      const r = await post(
        '/token',
        { type: 'rtm', userId: 'someone-else' },
        await jwt('smoke-403'),
      )
      must(r.status === 403 && (await errorCode(r)) === 'ERR_FORBIDDEN', `status ${r.status}`)
    },
    'POST /token above maxExpiresIn: clamped': async () => {
      const r = await post('/token', { type: 'fpa', expiresIn: '30d' }, API_KEY)
      const body = await r.json()
      must(body.clamped === true, 'not clamped')
      const seconds = (Date.parse(body.expiresAt) - Date.parse(body.issuedAt)) / 1000
      must(seconds === 86_400, `lifetime ${seconds}`)
    },
    'POST /token bad input: 400': async () => {
      const r = await post('/token', { type: 'rtc', channelName: 5, uid: 1 }, API_KEY)
      must(
        r.status === 400 && (await errorCode(r)) === 'ERR_INVALID_ARGUMENT',
        `status ${r.status}`,
      )
    },
    'POST /token too large: 413': async () => {
      const r = await post('/token', { type: 'fpa', pad: 'x'.repeat(20_000) }, API_KEY)
      must(r.status === 413 && (await errorCode(r)) === 'ERR_BODY_TOO_LARGE', `status ${r.status}`)
    },
    'POST /token not JSON: 415': async () => {
      const r = await fetch(`${origin}/token`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'text/plain' },
        body: 'type=fpa',
      })
      must(r.status === 415, `status ${r.status}`)
    },
    'GET /token: 405 with Allow': async () => {
      const r = await fetch(`${origin}/token`)
      must(r.status === 405 && r.headers.get('allow') === 'POST', `status ${r.status}`)
    },
    'unknown route: 404': async () => {
      const r = await fetch(`${origin}/nope`)
      must(r.status === 404 && (await errorCode(r)) === 'ERR_NOT_FOUND', `status ${r.status}`)
    },
    'GET /rtc/...: { rtcToken }': async () => {
      const r = await fetch(`${origin}/rtc/smoke/subscriber/uid/9`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      })
      const body = await r.json()
      verifyToken(body.rtcToken, CERTIFICATE, {
        require: { service: 'rtc', channelName: 'smoke', uid: 9 },
      })
    },
    'CORS preflight from the allowed origin': async () => {
      const r = await fetch(`${origin}/token`, {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
      })
      must(r.status === 204, `status ${r.status}`)
      must(r.headers.get('access-control-allow-origin') === ORIGIN, 'no allow-origin')
      must(/Origin/.test(r.headers.get('vary') ?? ''), 'no Vary: Origin')
    },
    'rate limit: 429 with Retry-After': async () => {
      const token = await jwt('smoke-limited')
      for (let i = 0; i < 3; i++) {
        const r = await post('/token', { type: 'rtm' }, token)
        must(r.status === 200, `request ${i + 1}: status ${r.status}`)
      }
      const r = await post('/token', { type: 'rtm' }, token)
      must(r.status === 429 && Number(r.headers.get('retry-after')) > 0, `status ${r.status}`)
    },
  }
}

/** Runs every check against `origin`. */
export async function runChecks(origin) {
  const failures = []
  let passed = 0
  for (const [name, check] of Object.entries(checks(origin))) {
    try {
      await check()
      passed += 1
    } catch (error) {
      failures.push(`${name}: ${error.message}`)
    }
  }
  return { passed, failed: failures.length, failures }
}

/** How many checks there are (a runtime must run all of them). */
export const CHECK_COUNT = Object.keys(checks('http://x')).length
