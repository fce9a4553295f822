// Shared by the module-file entries: runs the suite and prints one marked result line on stdout,
// so that whatever else a runtime prints cannot be mistaken for the result.
import slice from './slice.mjs'
import { runSuite } from './suite.mjs'

function runtime() {
  if (globalThis.Deno) return { runtime: 'deno', version: globalThis.Deno.version.deno }
  if (globalThis.Bun) return { runtime: 'bun', version: globalThis.Bun.version }
  return { runtime: 'node', version: globalThis.process.versions.node }
}

/** Runs the suite against `lib`, loaded from `entry`, and prints the result. */
export function report(lib, entry) {
  console.log('RESULT ' + JSON.stringify({ ...runtime(), entry, ...runSuite(lib, slice) }))
}
