// The runtime's own HMAC-SHA256, where it has one: node:crypto in Node, Bun and Deno, found at
// run time through `process.getBuiltinModule`, so that the root entry imports nothing from
// `node:` and still runs on Web APIs alone (workerd, browsers), where this finds nothing and the
// pure path is used. Native hashing has a fixed cost per call (a call into C++ and a Buffer), so
// it only pays for long messages; sign.ts decides where.

/** The part of node:crypto's Hmac used here. */
interface RuntimeHmac {
  update(data: Uint8Array): RuntimeHmac
  digest(): Uint8Array
}

/** The part of node:crypto used here. */
interface RuntimeCrypto {
  createHmac(algorithm: 'sha256', key: Uint8Array): RuntimeHmac
}

interface ProcessWithBuiltins {
  getBuiltinModule?: (id: string) => unknown
}

let runtimeCrypto: RuntimeCrypto | null | undefined

/** node:crypto when the runtime offers it without a static import, else null (looked up once). */
export function nativeCrypto(): RuntimeCrypto | null {
  if (runtimeCrypto === undefined) runtimeCrypto = lookUpCrypto()
  return runtimeCrypto
}

function lookUpCrypto(): RuntimeCrypto | null {
  try {
    const proc = (globalThis as { process?: ProcessWithBuiltins }).process
    const found = proc?.getBuiltinModule?.('node:crypto') as Partial<RuntimeCrypto> | undefined
    return typeof found?.createHmac === 'function' ? (found as RuntimeCrypto) : null
  } catch {
    // A runtime whose process object refuses the lookup: the pure path serves.
    return null
  }
}
