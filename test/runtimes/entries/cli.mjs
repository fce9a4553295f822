// Entry for the runtimes that run a module file (Node, Bun, Deno): the package's ES module,
// imported by name, so each runtime's own resolution of the package's exports map is exercised.
import * as lib from 'token007'
import { report } from './report.mjs'

report(lib, import.meta.resolve('token007'))
