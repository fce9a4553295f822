// The token server every runtime smoke serves: the same options everywhere, so the same checks
// apply. Credentials are test values (never valid with Agora).
export const APP_ID = '970ca35de60c44645bbae8a215061b33'
export const CERTIFICATE = '5cfd2fd1755d40ecb72977518be15d3b'
export const API_KEY = 'smoke-key-0123456789abcdef'
export const JWT_SECRET = 'smoke-jwt-secret-at-least-32-bytes-long'
export const ORIGIN = 'https://app.example.com'

/** createTokenServer options; `env` overrides the credentials, as a Worker's bindings would. */
export function serverOptions(env = {}) {
  return {
    appId: env.AGORA_APP_ID ?? APP_ID,
    appCertificate: env.AGORA_APP_CERTIFICATE ?? CERTIFICATE,
    apiKeys: [env.TOKEN007_API_KEY ?? API_KEY],
    jwt: { secret: JWT_SECRET, issuer: 'smoke' },
    cors: { origins: [ORIGIN] },
    rateLimit: { limit: 3, window: '1m', callers: 'end-users' },
  }
}
