// Entry for Node's CommonJS consumers: the package's CommonJS build, through require(). A file of
// its own: Deno 2.9, seeing require('token007') in a module, resolves that module's
// import('token007') to the CommonJS build as well.
import { createRequire } from 'node:module'
import { report } from './report.mjs'

const require = createRequire(import.meta.url)
report(require('token007'), require.resolve('token007'))
