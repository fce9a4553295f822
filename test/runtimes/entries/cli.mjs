// Entry for the runtimes that run a module file: Node, Bun and Deno. It imports the package by its
// name, so each runtime's own resolution of the package's exports map is exercised too.
import * as lib from 'token007'
import slice from './slice.mjs'
import { runSuite } from './suite.mjs'

function runtime() {
  if (globalThis.Deno) return { runtime: 'deno', version: globalThis.Deno.version.deno }
  if (globalThis.Bun) return { runtime: 'bun', version: globalThis.Bun.version }
  return { runtime: 'node', version: globalThis.process.versions.node }
}

const result = runSuite(lib, slice)
// One marked line on stdout: whatever else a runtime prints cannot be mistaken for the result.
console.log('RESULT ' + JSON.stringify({ ...runtime(), ...result }))
