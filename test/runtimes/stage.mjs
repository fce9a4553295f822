// Prepares .generated/: the package as published (`npm pack`, unpacked into a node_modules/),
// the vector slice, the suite and the entries next to it, and the Worker bundle.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { writeSlice } from './make-slice.mjs'

export const HERE = fileURLToPath(new URL('.', import.meta.url))
export const ROOT = join(HERE, '..', '..')
export const GENERATED = join(HERE, '.generated')

/** Packs the package and returns the tarball's path; `dist/` must have been built. */
export function pack(destination) {
  for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']) {
    if (!existsSync(join(ROOT, file)))
      throw new Error(`${file} is missing: run npm run build first`)
  }
  mkdirSync(destination, { recursive: true })
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // prepack (the inspector page's build) prints before npm's JSON: read from the array's start.
  const [{ filename }] = JSON.parse(out.slice(out.search(/^\[/m)))
  return join(destination, filename)
}

/**
 * Stages everything the runners load.
 * @returns {{ dir: string, tarball: string, packageDir: string, slice: object, workerBundle: string }}
 */
export async function stage() {
  rmSync(GENERATED, { recursive: true, force: true })
  mkdirSync(GENERATED, { recursive: true })
  const tarball = pack(GENERATED)
  // The tarball unpacked where `import 'token007'` finds it from the entries; its dependencies
  // resolve further up, from the repository's node_modules.
  const packageDir = join(GENERATED, 'node_modules', 'token007')
  mkdirSync(packageDir, { recursive: true })
  execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'])

  const slice = writeSlice(join(GENERATED, 'slice.mjs'))
  copyFileSync(join(HERE, 'suite.mjs'), join(GENERATED, 'suite.mjs'))
  for (const entry of readdirSync(join(HERE, 'entries'))) {
    copyFileSync(join(HERE, 'entries', entry), join(GENERATED, entry))
  }

  // The Worker as wrangler would deploy it: one ES module, no Node built-ins available (a
  // `node:` import fails the build here rather than at deploy time).
  const workerBundle = join(GENERATED, 'worker.bundle.js')
  await build({
    entryPoints: [join(GENERATED, 'worker.mjs')],
    outfile: workerBundle,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser', 'import'],
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'error',
  })
  return { dir: GENERATED, tarball, packageDir, slice, workerBundle }
}
