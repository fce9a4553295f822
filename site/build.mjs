// Builds the inspector page: the library and the page's code bundled by esbuild, then inlined with
// the stylesheet into one HTML file (site/dist/index.html) that needs nothing else. Its
// Content-Security-Policy allows exactly that inline script and style (by hash) and no request.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const SITE = dirname(fileURLToPath(import.meta.url))
const OUT = join(SITE, 'dist', 'index.html')

const bundle = await build({
  entryPoints: [join(SITE, 'src', 'main.ts')],
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  write: false,
  legalComments: 'none',
  logLevel: 'warning',
})
// An inline script ends at the first "</script": none may appear inside it.
const script = bundle.outputFiles[0].text.trim().replaceAll('</script', '<\\/script')
const style = readFileSync(join(SITE, 'src', 'style.css'), 'utf8').trim()

const hash = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`
const csp = [
  "default-src 'none'",
  `script-src ${hash(script)}`,
  `style-src ${hash(style)}`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

const template = readFileSync(join(SITE, 'src', 'index.html'), 'utf8')
// Replaced by functions: a bundle may contain "$&" or "$1", which string replacements expand.
const html = template
  .replace('%CSP%', () => csp)
  .replace('/*STYLE*/', () => style)
  .replace('/*SCRIPT*/', () => script)
mkdirSync(dirname(OUT), { recursive: true })
writeFileSync(OUT, html)
console.log(`site/dist/index.html: ${Buffer.byteLength(html)} bytes`)
