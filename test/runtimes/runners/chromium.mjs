// Runs the suite in headless Chromium (Debian's package, driven by playwright-core). The page
// loads the package's ESM build unbundled from a loopback static server; the package's
// dependencies come through an import map, as a no-build site would load them.
import { existsSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { serveStatic } from './static-server.mjs'

export const CHROMIUM = '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']

/**
 * The import map for `entry`: every bare specifier in its module graph, mapped to the file the
 * browser conditions resolve it to (found by esbuild, which resolves like a bundler would).
 */
async function importMap(entry, root) {
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'browser',
    absWorkingDir: root,
    // Paths as the server sees them: through a symlinked node_modules, not to its target.
    preserveSymlinks: true,
    logLevel: 'silent',
  })
  const imports = {}
  for (const input of Object.values(metafile.inputs)) {
    for (const { path, original } of input.imports) {
      if (original && !original.startsWith('.') && !original.startsWith('/')) {
        const served = relative(root, resolve(root, path))
        if (served.startsWith('..'))
          throw new Error(`${original} resolves outside ${root}: ${path}`)
        imports[original] = '/' + served
      }
    }
  }
  return { imports }
}

function page(map, entryUrl) {
  return `<!doctype html>
<meta charset="utf-8">
<title>token007 runtime suite</title>
<script type="importmap">${JSON.stringify(map)}</script>
<script type="module">
  try {
    await import(${JSON.stringify(entryUrl)})
  } catch (error) {
    globalThis.suiteError = String(error && error.stack || error)
  }
</script>
`
}

/**
 * @param {{ root: string, dir: string, packageDir: string, timeoutMs?: number }} spec
 *   root: the directory served (the repository); dir: .generated; packageDir: the unpacked package
 */
export async function runChromium({ root, dir, packageDir, timeoutMs = 60_000 }) {
  if (!existsSync(CHROMIUM))
    throw new Error(`chromium: ${CHROMIUM} is missing (apt-get install -y chromium)`)
  const map = await importMap(join(packageDir, 'dist', 'index.js'), root)
  map.imports.token007 = '/' + relative(root, join(packageDir, 'dist', 'index.js'))
  const server = await serveStatic({
    root,
    pages: { '/suite.html': page(map, '/' + relative(root, join(dir, 'browser.mjs'))) },
  })
  let browser
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      timeout: timeoutMs,
    })
    const tab = await browser.newPage()
    const errors = []
    tab.on('pageerror', (e) => errors.push(e.message))
    tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await tab.goto(`${server.url}/suite.html`, { timeout: timeoutMs })
    await tab.waitForFunction(() => globalThis.suiteResult || globalThis.suiteError, null, {
      timeout: timeoutMs,
    })
    const { suiteResult, suiteError } = await tab.evaluate(() => ({
      suiteResult: globalThis.suiteResult,
      suiteError: globalThis.suiteError,
    }))
    if (suiteError) throw new Error(`the page failed: ${suiteError}\n${errors.join('\n')}`)
    return { runtime: 'chromium', version: browser.version(), ...suiteResult }
  } catch (error) {
    throw new Error(`chromium: ${error.message}`)
  } finally {
    await browser?.close()
    await server.close()
  }
}
