// The templates of build --count (src/cli/template.ts): {i}, {i+K}, {i%K}, and nothing else.
import { describe, expect, it } from 'vitest'
import {
  boundaryIndices,
  compileTemplate,
  evaluate,
  expand,
  literalText,
} from '../../src/cli/template.js'

describe('compileTemplate and expand', () => {
  it.each([
    ['load-{i}', 7, 'load-7'],
    ['{i+1000}', 7, '1007'],
    ['bot-{i%3}', 7, 'bot-1'],
    ['{i}-{i+1}-{i%2}', 5, '5-6-1'],
    ['{{i}}={i}', 4, '{i}=4'],
    ['a{{b}}{i}', 0, 'a{b}0'],
    ['{i+0}', 9, '9'],
    ['{i%1}', 9, '0'],
    ['x{i+1000000000000000}', 1, 'x1000000000000001'],
  ])('%j at %i is %j', (text, i, expected) => {
    const t = compileTemplate(text, '--channel')
    expect(t).toBeDefined()
    expect(expand(t!, i)).toBe(expected)
  })

  it('is undefined for text without an expression; literalText unescapes braces', () => {
    expect(compileTemplate('room-1', '--channel')).toBeUndefined()
    expect(compileTemplate('a{{b}}', '--channel')).toBeUndefined()
    expect(literalText('a{{b}}')).toBe('a{b}')
  })

  it.each([
    ['{i*2}', '"{i*2}"'],
    ['{j}', '"{j}"'],
    ['{ i }', '"{ i }"'],
    ['{i-1}', '"{i-1}"'],
    ['{i+-1}', '"{i+-1}"'],
    ['{i%0}', '"i%0"'],
    ['{i+1e3}', '"{i+1e3}"'],
    ['{i+10000000000000000}', '"{i+10000000000000000}"'],
    ['{}', '"{}"'],
    ['load-{i', '"{i"'],
    ['load-}', '"}"'],
    ['{constructor}', '"{constructor}"'],
    ['{process.exit()}', '"{process.exit()}"'],
  ])('%j is a usage error naming the flag and the template (%s)', (text, part) => {
    expect(() => compileTemplate(text, '--uid')).toThrow(
      new RegExp(`^--uid: unsupported template ${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} in `),
    )
  })
})

describe('boundaryIndices', () => {
  it('holds the first and last index, where a value gains a digit, is 0, or wraps', () => {
    const [plus] = compileTemplate('{i+995}', 'x')!.expressions
    expect(boundaryIndices([plus], 0, 10_000)).toEqual([0, 4, 5, 9004, 9005, 10_000])
    const [bare] = compileTemplate('{i}', 'x')!.expressions
    expect(boundaryIndices([bare], 0, 150)).toEqual([0, 1, 9, 10, 99, 100, 150])
    const [mod] = compileTemplate('{i%7}', 'x')!.expressions
    const indices = boundaryIndices([mod], 1, 100)
    expect(indices).toContain(7) // the first 0 after the start
    expect(indices).toContain(6) // the largest value, 6
    expect(indices.map((i) => evaluate(mod, i))).toContain(0)
  })

  it('covers, for every {i+K}, a record with each digit count the values have', () => {
    for (const k of [0, 1, 7, 95, 999, 123_456]) {
      const [e] = compileTemplate(`{i+${k}}`, 'x')!.expressions
      const first = 3
      const last = 20_000
      const lengths = new Set<number>()
      for (let i = first; i <= last; i++) lengths.add(String(evaluate(e, i)).length)
      const covered = new Set(
        boundaryIndices([e], first, last).map((i) => String(evaluate(e, i)).length),
      )
      expect(covered).toEqual(lengths)
    }
  })
})
