// "Did you mean" (src/cli/suggest.ts).
import { describe, expect, it } from 'vitest'
import { didYouMean, suggestion } from '../../src/cli/suggest.js'

const FLAGS = ['channel', 'uid', 'account', 'role', 'expires-in', 'expires-at', 'issued-at', 'salt']

describe('didYouMean', () => {
  it.each([
    ['chanel', ['channel']],
    ['channle', ['channel']],
    ['expire', ['expires-in', 'expires-at']],
    ['expires', ['expires-in', 'expires-at']],
    ['rol', ['role']],
    ['acount', ['account']],
    ['UID', ['uid']],
    ['zzz', []],
    ['u', []],
    ['certificate', []],
  ])('%j → %j', (word, expected) => {
    expect(didYouMean(word, FLAGS)).toEqual(expected)
  })

  it('suggestion says nothing when nothing is close, and names at most three', () => {
    expect(suggestion('zzz', FLAGS, '--')).toBe('')
    expect(suggestion('chanel', FLAGS, '--')).toBe('; did you mean --channel?')
    expect(suggestion('a', ['ab', 'ac', 'ad', 'ae'])).toBe('; did you mean ab or ac or ad?')
  })
})
