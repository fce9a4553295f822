// What the client entry carries: the keeper and its compact token reader (src/client/decode/),
// nothing of the builders or the signing code (no SHA-256, no HMAC), no Node built-ins and no
// Buffer. It imports the root entry (the layer rule for the outer ring); tree shaking must leave
// only the error classes of it. The package check (npm run size) holds its gzipped size to a budget.
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

/** SHA-256's first round constant and first initial hash word, in hex and in decimal. */
const SHA256_MARKERS = [/428a2f98/i, /\b1116352408\b/, /6a09e667/i, /\b1779033703\b/]

async function bundle(contents: string) {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  // The modules that put code into the bundle: the decoder's module graph reaches the signing
  // modules (token006.ts also verifies), but tree shaking leaves nothing of them.
  const [output] = Object.values(result.metafile.outputs)
  const inputs = Object.entries(output.inputs)
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([path]) => path)
  return { code: result.outputFiles[0].text, inputs }
}

describe('the client entry', () => {
  it('carries the decoder and no code of a builder, signer or hash module', async () => {
    const { inputs } = await bundle("export * from './src/client/index.ts'")
    expect(inputs).toContain('src/client/decode/index.ts')
    expect(inputs).toContain('src/client/keeper.ts')
    // The keeper reads tokens with its own compact reader, not the library's fast decoder.
    expect(
      inputs.filter((path) => /^src\/(decode\.ts|lib\/zlib|lib\/base64|format\/007)/.test(path)),
    ).toEqual([])
    const outside = inputs.filter(
      (path) =>
        /sha256|sign|hmac|@noble|build|builders|typed|verify\.ts|random/.test(path) ||
        path === 'src/index.ts',
    )
    expect(outside).toEqual([])
  })

  it('contains no SHA-256 code, while a build bundle does (the markers are found when present)', async () => {
    const client = await bundle("export { createTokenKeeper } from './src/client/index.ts'")
    const builder = await bundle("export { buildToken } from './src/index.ts'")
    expect(SHA256_MARKERS.filter((m) => m.test(client.code))).toEqual([])
    expect(SHA256_MARKERS.some((m) => m.test(builder.code))).toBe(true)
  })

  it('imports no Node built-in and uses no Buffer in any module it carries', async () => {
    const { inputs } = await bundle("export * from './src/client/index.ts'")
    const sources = inputs.filter((path) => path.startsWith('src/'))
    expect(sources.length).toBeGreaterThan(5)
    for (const path of sources) {
      const text = readFileSync(path, 'utf8')
      expect(text, path).not.toMatch(/from\s+['"]node:|require\(['"]node:|\bBuffer\b/)
    }
  })
})
