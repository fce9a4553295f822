// A read-only static file server on a loopback port, for the browser run. It serves only files
// under `root`, GET only, with the MIME types a browser insists on for modules.
import { createReadStream, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
}

/**
 * Starts serving `root`, plus in-memory `pages` (path → HTML). Resolves to `{ url, close }`.
 * @param {{ root: string, pages?: Record<string, string> }} options
 */
export function serveStatic({ root, pages = {} }) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname)
    if (request.method !== 'GET') return send(response, 405, 'GET only')
    if (Object.hasOwn(pages, path)) {
      response.writeHead(200, { 'content-type': TYPES['.html'] })
      return response.end(pages[path])
    }
    const file = normalize(join(root, path))
    if (!file.startsWith(root + sep)) return send(response, 403, 'outside the served root')
    let stat
    try {
      stat = statSync(file)
    } catch {
      return send(response, 404, `no ${path}`)
    }
    if (!stat.isFile()) return send(response, 404, `${path} is not a file`)
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(response)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((r) => server.close(() => r())),
      })
    })
  })
}

function send(response, status, text) {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
  response.end(text)
}
