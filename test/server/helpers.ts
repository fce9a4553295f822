// Shared by the server tests: credentials, the server under test reached two ways (its fetch
// handler in-process, and over real HTTP on a loopback port), and a leak check for secrets.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { expect } from 'vitest'
import { createTokenServer, type TokenServerOptions } from '../../src/server/index.js'

export const APP_ID = '970ca35de60c44645bbae8a215061b33'
export const CERT = '5cfd2fd1755d40ecb72977518be15d3b'
export const KEY_1 = 'k1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
export const KEY_2 = 'k2-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'

/** Sends requests to a server; `path` is joined to the server's origin. */
export interface Client {
  request(path: string, init?: RequestInit): Promise<Response>
  close(): Promise<void>
}

/** Listens on 127.0.0.1 with a free port; resolves to the origin and a stopper. */
export function listen(
  fetch: (request: Request) => Promise<Response> | Response,
): Promise<{ origin: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      resolve({
        origin: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            ;(server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
          }),
      })
    })
  })
}

/** The two ways every route is tested. */
export const TRANSPORTS = ['in-process', 'http'] as const
export type Transport = (typeof TRANSPORTS)[number]

/** A client of a fresh server with `options`, over `transport`. */
export async function client(transport: Transport, options: TokenServerOptions): Promise<Client> {
  const server = createTokenServer(options)
  if (transport === 'in-process') {
    return {
      request: (path, init) => server.fetch(new Request(`http://token007.test${path}`, init)),
      close: async () => {},
    }
  }
  const { origin, close } = await listen(server.fetch)
  return { request: (path, init) => fetch(`${origin}${path}`, init), close }
}

/** Headers of a JSON request with a bearer credential. */
export function jsonHeaders(credential?: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    ...(credential === undefined ? {} : { Authorization: `Bearer ${credential}` }),
  }
}

/** POSTs a JSON body (a string is sent as it is). */
export function post(c: Client, path: string, body: unknown, credential?: string) {
  return c.request(path, {
    method: 'POST',
    headers: jsonHeaders(credential),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** Asserts a JSON error response: status, code, common headers; resolves to its message. */
export async function expectError(response: Response, status: number, code: string) {
  const text = await response.text()
  expect(response.status, text).toBe(status)
  expect(response.headers.get('cache-control')).toBe('no-store')
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  const body = JSON.parse(text)
  expect(Object.keys(body)).toEqual(['error'])
  expect(body.error.code).toBe(code)
  expect(typeof body.error.message).toBe('string')
  expect(body.error.message.length).toBeGreaterThan(0)
  return body.error.message as string
}

/** Asserts that no secret appears in `text` (case-insensitively). */
export function expectNoSecret(text: string, secrets: readonly string[] = [CERT, KEY_1, KEY_2]) {
  const lower = text.toLowerCase()
  for (const secret of secrets) expect(lower).not.toContain(secret.toLowerCase())
}
