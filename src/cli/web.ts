// token007 web: serves the inspector page (site/dist/index.html, built by `npm run site`) on
// loopback. The page is static and makes no request; the server answers only for its own host
// name, so another site cannot reach it through DNS rebinding.
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import process from 'node:process'
import type { Command } from './command.js'
import { EXIT } from './command.js'
import { integerFlag } from './identity.js'
import type { Io } from './io.js'
import { parseFlags, stringFlag } from './usage.js'

const HELP = `Usage: token007 web [--port <n>]

Serves the token inspector page on http://127.0.0.1 and prints its URL: paste a token to see what
it says and why it would be rejected, with an optional certificate that never leaves the page.
The page is self-contained and makes no network request. Stop the server with Ctrl+C.

Options:
  --port <n>     the port (default 0: a free one)
  -h, --help     this help

Exit status: 0 after Ctrl+C; 1 when the page is not built or the port cannot be used; 2 for a
usage error.`

const OPTIONS = { port: { type: 'string' } } as const

/** Where the page is, next to the command line's own file (dist/cli.js → site/dist). */
const PAGE = new URL('../site/dist/index.html', import.meta.url)

async function run(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, OPTIONS)
  if (values.help) {
    io.out(`${HELP}\n`)
    return EXIT.ok
  }
  const portText = stringFlag(values, 'port')
  const port = portText === undefined ? 0 : integerFlag(portText, 'port', 0, 65_535)
  let page: Buffer
  try {
    page = await readFile(PAGE)
  } catch {
    io.err('token007 web: the inspector page is not built: run npm run site\n')
    return EXIT.rejected
  }
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(page.toString())?.[1]
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(page.length),
    // The page's own policy, plus what only a header can say (no framing).
    'content-security-policy': `${csp ?? "default-src 'none'"}; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  }
  const server = createServer((req, res) => answer(req, res, server.address(), page, headers))
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', resolve)
    })
  } catch (err) {
    const code = (err as { code?: unknown }).code
    io.err(`token007 web: cannot listen on 127.0.0.1:${port} (${String(code ?? err)})\n`)
    return EXIT.rejected
  }
  const address = server.address()
  const bound = typeof address === 'object' && address !== null ? address.port : port
  io.out(`token007 inspector: http://127.0.0.1:${bound}/  (Ctrl+C to stop)\n`)
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      server.close(() => resolve())
      server.closeAllConnections()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  return EXIT.ok
}

function answer(
  req: IncomingMessage,
  res: ServerResponse,
  address: ReturnType<ReturnType<typeof createServer>['address']>,
  page: Buffer,
  headers: Record<string, string>,
): void {
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const host = (req.headers.host ?? '').toLowerCase()
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    plain(res, 421, 'this server answers only for 127.0.0.1 and localhost\n')
    return
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD')
    plain(res, 405, 'only GET and HEAD\n')
    return
  }
  const path = (req.url ?? '/').split('?')[0]
  if (path !== '/' && path !== '/index.html') {
    plain(res, 404, 'not found: the inspector is at /\n')
    return
  }
  res.writeHead(200, headers)
  res.end(req.method === 'HEAD' ? undefined : page)
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  })
  res.end(text)
}

/** `token007 web`. */
export const webCommand: Command = {
  name: 'web',
  summary: 'serve the offline token inspector page on 127.0.0.1 and print its URL',
  help: HELP,
  run,
}
