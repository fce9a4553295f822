// token007 serve: the token server of token007/server on Node, configured from flags and the
// environment, with a one-line JSON access log on stdout and a graceful stop on SIGINT/SIGTERM.
// `--demo` runs it on loopback with demo credentials and a fresh API key.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import process from 'node:process'
import type { Http2Bindings, HttpBindings } from '@hono/node-server'
import type { IssueEvent, TokenServerOptions } from '../server/index.js'
import { EXIT, type Command } from './command.js'
import { APP_ID_VARS, CERTIFICATE_VARS } from './credentials.js'
import { DEMO_APP_ID, DEMO_CERTIFICATE } from './demo.js'
import {
  REGISTRY_FLAGS,
  REGISTRY_HELP,
  type ServeRegistry,
  serveRegistry,
} from './serve-registry.js'
import type { Io } from './io.js'
import { parseFlags, stringFlag, UsageError, type Values } from './usage.js'

// How long in-flight requests get to finish after SIGINT/SIGTERM before connections are cut.
const DRAIN_MS = 10_000

const HELP = `Usage: token007 serve [--port 8080] [--host 127.0.0.1] [options]

Runs the token server (token007/server): POST /token, the agora-token-service routes
(GET /rtc/..., /rtm/:uid, /chat/app, /chat/account/:uid, POST /getToken), GET /healthz, GET /ping.
Every caller must authenticate. Logs one JSON line per request on stdout; SIGINT or SIGTERM stop it
after in-flight requests finish.

Options:
  --port <n>            the port (default 8080; 0 picks a free one)
  --host <addr>         the address to listen on (default 127.0.0.1)
  --jwks-url <url>      accept JWTs signed by the keys at this JWKS address (or TOKEN007_JWKS_URL)
  --issuer <iss>        the JWTs' required issuer (or TOKEN007_JWT_ISSUER)
  --audience <aud>      the JWTs' required audience (or TOKEN007_JWT_AUDIENCE)
  --rate-limit <n/unit> one limit for every caller, e.g. 100/min; 0 turns it off (or
                        TOKEN007_RATE_LIMIT; default 120/min per JWT user, none for API keys)
  --max-expires-in <d>  the longest token lifetime (default 24h)
  --demo                demo credentials, a fresh API key printed once, loopback only
${REGISTRY_HELP.options}

Environment:
  AGORA_APP_ID, AGORA_APP_CERTIFICATE   the app (or TOKEN007_APP_ID, TOKEN007_APP_CERTIFICATE,
                                        APP_ID, APP_CERTIFICATE)
  TOKEN007_API_KEYS                     API keys callers send as "Authorization: Bearer <key>",
                                        comma-separated (several for rotation)
  TOKEN007_CORS_ORIGINS                 browser origins allowed to call, comma-separated
${REGISTRY_HELP.environment}

The certificate and API keys are read from the environment only, never from flags (a process list
shows flags), and never printed.`

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'jwks-url': { type: 'string' },
  issuer: { type: 'string' },
  audience: { type: 'string' },
  'rate-limit': { type: 'string' },
  'max-expires-in': { type: 'string' },
  demo: { type: 'boolean' },
  ...REGISTRY_FLAGS,
} as const

function env(io: Io, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = io.env[name]?.trim()
    if (value) return value
  }
  return undefined
}

function list(text: string | undefined): string[] | undefined {
  const items = text
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  return items && items.length > 0 ? items : undefined
}

function port(values: Values): number {
  const text = stringFlag(values, 'port') ?? '8080'
  const n = Number(text)
  if (!/^\d{1,5}$/.test(text) || n > 65_535) throw new UsageError('--port: expected 0..65535')
  return n
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host)
}

/** The server options from the environment and flags (the credentials are registered secrets). */
function serverOptions(values: Values, io: Io, log: (line: object) => void): TokenServerOptions {
  const demo = values.demo === true
  // The same variables, in the same order, as every other command (credentials.ts); the values
  // are checked by createTokenServer.
  const appId = demo ? DEMO_APP_ID : env(io, ...APP_ID_VARS)
  const certificate = demo ? DEMO_CERTIFICATE : env(io, ...CERTIFICATE_VARS)
  if (appId === undefined) throw new UsageError('no app id: set AGORA_APP_ID (or TOKEN007_APP_ID)')
  if (certificate === undefined) {
    throw new UsageError(
      'no app certificate: set AGORA_APP_CERTIFICATE (or TOKEN007_APP_CERTIFICATE)',
    )
  }
  if (!demo) io.secret(certificate)
  const apiKeys = demo ? [randomKey()] : list(env(io, 'TOKEN007_API_KEYS'))
  // The demo key is meant to be shown once; real keys are masked in everything written.
  if (!demo) for (const key of apiKeys ?? []) io.secret(key)
  const jwksUrl = stringFlag(values, 'jwks-url') ?? env(io, 'TOKEN007_JWKS_URL')
  const issuer = stringFlag(values, 'issuer') ?? env(io, 'TOKEN007_JWT_ISSUER')
  const audience = stringFlag(values, 'audience') ?? env(io, 'TOKEN007_JWT_AUDIENCE')
  if (jwksUrl === undefined && (issuer !== undefined || audience !== undefined)) {
    throw new UsageError('--issuer and --audience need --jwks-url')
  }
  if (apiKeys === undefined && jwksUrl === undefined) {
    throw new UsageError(
      'no caller authentication: set TOKEN007_API_KEYS or pass --jwks-url (try: token007 serve --demo)',
    )
  }
  const rateLimit = stringFlag(values, 'rate-limit') ?? env(io, 'TOKEN007_RATE_LIMIT')
  const maxExpiresIn = stringFlag(values, 'max-expires-in')
  return {
    appId,
    appCertificate: certificate,
    ...(apiKeys ? { apiKeys } : {}),
    ...(jwksUrl ? { jwt: { jwksUrl, issuer, audience } } : {}),
    ...(list(env(io, 'TOKEN007_CORS_ORIGINS'))
      ? { cors: { origins: list(env(io, 'TOKEN007_CORS_ORIGINS'))! } }
      : {}),
    ...(rateLimit !== undefined ? { rateLimit } : {}),
    ...(maxExpiresIn !== undefined ? { maxExpiresIn } : {}),
    onIssue: (event: IssueEvent) => log({ event: 'issue', ...event }),
  }
}

/** A new API key: 32 random bytes, base64url (43 characters). */
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

/** How to run this same executable again: `npx token007` when installed, else its path. */
function selfCommand(): string {
  const script = process.argv[1] ?? ''
  if (script === '' || /[\\/]node_modules[\\/]/.test(script)) return 'npx token007'
  const relative = path.relative(process.cwd(), script)
  return `node ${relative.startsWith('..') || relative === '' ? script : relative}`
}

function demoBanner(origin: string, key: string): string {
  const body = `'{"type":"rtc","channelName":"demo","uid":42,"role":"publisher"}'`
  return `token007 serve --demo: a token server on ${origin} (loopback only) with DEMO credentials
(app id ${DEMO_APP_ID}; Agora refuses their tokens).

This run's API key, shown once:
  ${key}

Get a token:
  curl -s -X POST ${origin}/token -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' -d ${body}

Get one and verify it (POST /verify: signature, app id, expiry, revocation):
  TOKEN=$(curl -s -X POST ${origin}/token -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' -d ${body} | sed -E 's/.*"token":"([^"]+)".*/\\1/')
  curl -s -X POST ${origin}/verify -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' -d "{\\"token\\":\\"$TOKEN\\"}"

Without the key the server answers 401:
  curl -i -X POST ${origin}/token -H 'Content-Type: application/json' -d ${body}

For your own app: AGORA_APP_ID=… AGORA_APP_CERTIFICATE=… TOKEN007_API_KEYS=… ${selfCommand()} serve
Stop with Ctrl+C.

`
}

/** The path of a request target, without the query (which is not logged). */
function pathOf(target: string): string {
  const query = target.indexOf('?')
  return query < 0 ? target : target.slice(0, query)
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve(server.address() as AddressInfo)
    })
  })
}

async function run(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS)
  if (values.help) {
    io.out(`${HELP}\n`)
    return EXIT.ok
  }
  if (positionals.length > 0) throw new UsageError('serve takes no arguments')
  const demo = values.demo === true
  const host = stringFlag(values, 'host') ?? '127.0.0.1'
  const portNumber = port(values)
  if (demo && !isLoopback(host)) throw new UsageError('--demo listens on loopback only')
  const log = (line: object) =>
    io.out(`${JSON.stringify({ time: new Date(io.now()).toISOString(), ...line })}\n`)
  const options = serverOptions(values, io, log)
  const demoKey = demo ? options.apiKeys?.[0] : undefined
  // Loaded here, not at the top: the other commands never pay for Hono and jose.
  const { createTokenServer } = await import('../server/index.js')
  const { createAdaptorServer } = await import('@hono/node-server')
  const registry: ServeRegistry = serveRegistry(stringFlag(values, 'redis'), options.rateLimit, io)
  const tokenServer = createTokenServer({ ...options, ...registry.options })

  const server = createAdaptorServer({
    fetch: async (request: Request, bindings: HttpBindings | Http2Bindings) => {
      const started = performance.now()
      const response = await tokenServer.fetch(request)
      log({
        event: 'request',
        method: request.method,
        path: pathOf(bindings.incoming.url ?? '/'),
        status: response.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        remote: bindings.incoming.socket.remoteAddress,
      })
      return response
    },
  }) as Server
  let address: AddressInfo
  try {
    address = await listen(server, portNumber, host)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new UsageError(`cannot listen on ${host}:${portNumber} (${code})`)
  }
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const origin = `http://${shownHost}:${address.port}`
  if (demoKey) io.out(demoBanner(origin, demoKey))
  log({
    event: 'listening',
    url: origin,
    auth: [options.apiKeys && `api-keys (${options.apiKeys.length})`, options.jwt && 'jwt'].filter(
      Boolean,
    ),
    cors: options.cors?.origins ?? [],
    rateLimit: options.rateLimit ?? 'default',
    ...registry.describe,
    demo,
  })

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  log({ event: 'stopping', signal })
  const force = setTimeout(() => server.closeAllConnections(), DRAIN_MS)
  await new Promise<void>((resolve) => server.close(() => resolve()))
  clearTimeout(force)
  await registry.close()
  log({ event: 'stopped' })
  return EXIT.ok
}

/** `token007 serve`. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the token server (authenticated, rate limited); --demo to try it',
  help: HELP,
  run,
}
