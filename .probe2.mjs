import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
const stub = { name: 'stub', setup(b) { b.onResolve({ filter: /^pako$/ }, () => ({ path: 'pako', namespace: 'stub' })); b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export function deflate(){}', loader: 'js' })) } }
for (const contents of ["export { createTokenKeeper } from './src/client/index.ts'", "export { decodeToken } from './src/decode.ts'"]) {
const r = await build({ stdin: { contents, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, metafile: true, plugins: [stub] })
const c = r.outputFiles[0].contents
console.log(contents, c.length, gzipSync(c, {level: 9}).length)
}
