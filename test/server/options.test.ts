// createTokenServer's option checks: one place, typed errors, no secret in any message.
import { describe, expect, it } from 'vitest'
import { InvalidArgument } from '../../src/index.js'
import { createTokenServer, type TokenServerOptions } from '../../src/server/index.js'
import { APP_ID, CERT, KEY_1 } from './helpers.js'

function refusal(options: unknown): InvalidArgument {
  try {
    createTokenServer(options as TokenServerOptions)
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidArgument)
    return err as InvalidArgument
  }
  throw new Error('expected createTokenServer to throw')
}

const base = { appId: APP_ID, appCertificate: CERT }

describe('createTokenServer options', () => {
  it('throws ERR_INVALID_ARGUMENT without caller authentication', () => {
    const err = refusal(base)
    expect(err.code).toBe('ERR_INVALID_ARGUMENT')
    expect(err.message).toMatch(/apiKeys, jwt or authenticate.*allowAnonymous/)
  })

  it('accepts each authentication, and allowAnonymous alone', () => {
    for (const extra of [
      { apiKeys: [KEY_1] },
      { jwt: { secret: 'x'.repeat(32) } },
      { jwt: { jwksUrl: 'https://auth.example/.well-known/jwks.json' } },
      { authenticate: () => null },
      { allowAnonymous: true },
    ]) {
      expect(typeof createTokenServer({ ...base, ...extra }).fetch).toBe('function')
    }
  })

  it.each([
    [{ ...base, appId: 'nope', apiKeys: [KEY_1] }, /appId/],
    [{ ...base, appCertificate: `${CERT}00`, apiKeys: [KEY_1] }, /appCertificate/],
    [{ ...base, apiKeys: [] }, /apiKeys/],
    [{ ...base, apiKeys: ['short'] }, /apiKeys\[0\]/],
    [{ ...base, apiKeys: [KEY_1, 'has space in it 123456'] }, /apiKeys\[1\]/],
    [{ ...base, apiKeys: KEY_1 }, /apiKeys/],
    [{ ...base, jwt: {} }, /jwt/],
    [{ ...base, jwt: { secret: 'x'.repeat(32), jwksUrl: 'https://a.example/j' } }, /exactly one/],
    [{ ...base, jwt: { secret: 'too short' } }, /jwt.secret/],
    [{ ...base, jwt: { jwksUrl: 'http://auth.example/jwks' } }, /https/],
    [{ ...base, jwt: { jwksUrl: 'not a url' } }, /jwksUrl/],
    [{ ...base, apiKeys: [KEY_1], authenticate: () => null }, /not both/],
    [{ ...base, apiKeys: [KEY_1], cors: { origins: [] } }, /cors.origins/],
    [{ ...base, apiKeys: [KEY_1], cors: { origins: ['app.example.com'] } }, /cors.origins/],
    [{ ...base, apiKeys: [KEY_1], maxExpiresIn: 'forever' }, /maxExpiresIn/],
    [{ ...base, apiKeys: [KEY_1], defaultExpiresIn: '2d' }, /defaultExpiresIn/],
    [{ ...base, apiKeys: [KEY_1], bodyLimit: 0 }, /bodyLimit/],
    [{ ...base, apiKeys: [KEY_1], rateLimit: { limit: 0 } }, /rateLimit.limit/],
    [{ ...base, apiKeys: [KEY_1], rateLimit: 'lots' }, /rateLimit/],
    [{ ...base, apiKeys: [KEY_1], onIssue: 'log' }, /onIssue/],
    [{ ...base, apiKeys: [KEY_1], apikeys: [KEY_1] }, /apikeys/],
  ])('refuses %j', (options, message) => {
    const err = refusal(options)
    expect(err.message).toMatch(message)
    expect(err.message.toLowerCase()).not.toContain(CERT)
    expect(err.message).not.toContain(KEY_1)
    expect(err.message).not.toContain('has space in it')
  })

  it('never shows a bad certificate', () => {
    const err = refusal({
      ...base,
      appCertificate: 'secret-but-not-hex-secret-value!',
      apiKeys: [KEY_1],
    })
    expect(err.message).not.toContain('secret-but-not-hex')
  })
})
