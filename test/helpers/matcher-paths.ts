// The two match finders of src/lib/zlib/deflate.ts: the WebAssembly one that inputs above
// WASM_MATCHER_MIN_INPUT (every token's payload) take where the runtime allows it, and the
// JavaScript one that every input takes where it does not (and that tiny inputs always take).
// The byte-exactness suites run once per path.
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  setWasmMatcherEnabled,
  WASM_MATCHER_MIN_INPUT,
  wasmMatcherState,
} from '../../src/lib/zlib/wasm-matcher.js'

export interface MatcherPath {
  /** How a suite's title names the path. */
  readonly name: string
  readonly wasm: boolean
}

export const MATCHER_PATHS: readonly MatcherPath[] = [
  { name: `WebAssembly match finder above ${WASM_MATCHER_MIN_INPUT} bytes`, wasm: true },
  { name: 'JavaScript match finder only (WebAssembly switched off)', wasm: false },
]

/**
 * For the enclosing describe: switches the WebAssembly path on or off before its tests, back on
 * after them, and adds a last test proving that the inputs above the threshold took the path named.
 */
export function onMatcherPath(path: MatcherPath): void {
  beforeAll(() => setWasmMatcherEnabled(path.wasm))
  afterAll(() => setWasmMatcherEnabled(true))
  it(`took the path named (${path.wasm ? 'wasm loaded' : 'wasm off'})`, () => {
    expect(wasmMatcherState()).toBe(path.wasm ? 'loaded' : 'off')
  })
}
