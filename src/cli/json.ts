// The machine-readable form of decoded tokens: Dates as ISO 8601 strings, bytes as hex.

/** Lower-case hex of bytes. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * A JSON-safe copy of a value: Dates become ISO strings (their toJSON), Uint8Arrays hex.
 *
 * @example
 * ```ts
 * plain({ at: new Date(0), sig: new Uint8Array([1, 255]) }) // { at: '1970-01-01T00:00:00.000Z', sig: '01ff' }
 * ```
 */
export function plain<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, replacer))
}

/** Pretty JSON text with a final line break. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, replacer, 2)}\n`
}

function replacer(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? hex(value) : value
}
