import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
for (const contents of ["export { createTokenKeeper } from './dist/client.js'", "export { createTokenKeeper } from './src/client/index.ts'"]) {
const r = await build({ stdin: { contents, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, metafile: true })
const c = r.outputFiles[0].contents
console.log(contents, c.length, gzipSync(c, {level: 9}).length)
const [o] = Object.values(r.metafile.outputs)
console.log(Object.entries(o.inputs).map(([p, v]) => p + ' ' + v.bytesInOutput).join('\n'))
}
