// Templates in option values for `build --count`: `{i}`, `{i+K}` and `{i%K}` stand for the
// record's index; `{{` and `}}` for literal braces. Nothing is evaluated: anything else between
// braces is a usage error that names the flag and the template.
import { shown } from './text.js'
import { UsageError } from './usage.js'

/** One expression: the index, plus `add`, modulo `mod` (0 for none). */
interface Expression {
  add: number
  mod: number
}

/** A compiled template: literal text and expressions, alternating. */
export interface Template {
  /** `literals.length === expressions.length + 1`. */
  literals: readonly string[]
  expressions: readonly Expression[]
}

// Large enough for any index offset, small enough that i + K stays an exact integer.
const MAX_K = 1e15

const EXPRESSION = /^i(?:([+%])(\d{1,16}))?$/

/**
 * Compiles `text`; undefined when it holds no expression (only literal text, braces unescaped
 * into it). Throws a UsageError naming `flag` for anything but `{i}`, `{i+K}`, `{i%K}`, `{{`, `}}`.
 *
 * @example
 * ```ts
 * expand(compileTemplate('load-{i+1000}', '--channel')!, 7) // 'load-1007'
 * ```
 */
export function compileTemplate(text: string, flag: string): Template | undefined {
  const literals: string[] = []
  const expressions: Expression[] = []
  let literal = ''
  for (let at = 0; at < text.length; at++) {
    const c = text[at]
    if ((c === '{' || c === '}') && text[at + 1] === c) {
      literal += c
      at++
      continue
    }
    if (c === '}') throw templateError(flag, text, '}', 'a lone }: write }} for a literal brace')
    if (c !== '{') {
      literal += c
      continue
    }
    const end = text.indexOf('}', at)
    const inner = end < 0 ? '' : text.slice(at + 1, end)
    const match = EXPRESSION.exec(inner)
    if (end < 0 || match === null) {
      const shownPart = end < 0 ? text.slice(at) : text.slice(at, end + 1)
      throw templateError(flag, text, shownPart, 'expected {i}, {i+K} or {i%K}')
    }
    const k = match[2] === undefined ? 0 : Number(match[2])
    if (k > MAX_K) throw templateError(flag, text, inner, `K is at most ${MAX_K}`)
    if (match[1] === '%' && k === 0) throw templateError(flag, text, inner, 'i%0 is undefined')
    literals.push(literal)
    literal = ''
    expressions.push(match[1] === '%' ? { add: 0, mod: k } : { add: k, mod: 0 })
    at = end
  }
  literals.push(literal)
  return expressions.length === 0 ? undefined : { literals, expressions }
}

function templateError(flag: string, text: string, part: string, why: string): UsageError {
  return new UsageError(
    `${flag}: unsupported template ${shown(part, 40)} in ${shown(text, 60)}: ${why} ` +
      '(write {{ and }} for literal braces)',
  )
}

/** The value of one expression for index `i`. */
export function evaluate(e: Expression, i: number): number {
  return e.mod === 0 ? i + e.add : i % e.mod
}

/** The template's text for index `i`. */
export function expand(t: Template, i: number): string {
  let text = t.literals[0]
  for (let n = 0; n < t.expressions.length; n++) {
    text += evaluate(t.expressions[n], i) + t.literals[n + 1]
  }
  return text
}

/** A literal text without expressions, with `{{`/`}}` unescaped (see {@link compileTemplate}). */
export function literalText(text: string): string {
  return text.replace(/\{\{/g, '{').replace(/\}\}/g, '}')
}

/**
 * The indices in [first, last] where any of `expressions` changes how a value looks to a check:
 * the first and last index; where a value gains a digit (10^d - 1 → 10^d); where a value is 0;
 * where a modulo wraps (K - 1 → 0). Each check of a build depends on a templated value only
 * through its number or its digits, so these records meet every check that any record meets,
 * for checks that are monotonic in the number or its length, and for the special value 0.
 */
export function boundaryIndices(
  expressions: readonly Expression[],
  first: number,
  last: number,
): number[] {
  const found = new Set<number>([first, last])
  const add = (i: number) => {
    if (Number.isSafeInteger(i) && i >= first && i <= last) found.add(i)
  }
  for (const e of expressions) {
    if (e.mod === 0) {
      add(-e.add) // the value 0
      for (let p = 1; p <= 1e16; p *= 10) {
        add(p - e.add)
        add(p - 1 - e.add)
      }
    } else {
      // The first index with each residue 0 and K - 1, and the largest value reached.
      const base = first - (first % e.mod)
      add(base + e.mod) // residue 0 after first
      add(base + e.mod - 1) // residue K - 1
      add(first)
      for (let p = 1; p <= e.mod; p *= 10) {
        add(base + p)
        add(base + p - 1)
        add(base + e.mod + p)
        add(base + e.mod + p - 1)
      }
    }
  }
  return [...found].sort((a, b) => a - b)
}
