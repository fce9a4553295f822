// The drop-in builders are classes with static methods, like agora-token's and
// agora-access-token's at run time: the same class names and static method names, `new`,
// `extends` and `typeof X === 'function'` work, and detached calls keep working.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import * as token007 from '../../src/index.js'
import { RtcRole, RtcTokenBuilder, createTokenBuilders, legacy } from '../../src/index.js'

const require = createRequire(import.meta.url)
const agora = require('agora-token')
const agoraAccessToken = require('agora-access-token')

const appId = '970ca35de60c44645bbae8a215061b33'
const appCertificate = '5cfd2fd1755d40ecb72977518be15d3b'
const source = { now: () => 1_750_000_000_000, salt: () => 7 }

const CLASSES = [
  'RtcTokenBuilder',
  'RtmTokenBuilder',
  'ChatTokenBuilder',
  'ApaasTokenBuilder',
  'EducationTokenBuilder',
  'FpaTokenBuilder',
  'ConvoAITokenBuilder',
  'SttTokenBuilder',
] as const

/** A class's own static members, as `Object.getOwnPropertyNames` lists them, sorted. */
const statics = (cls: object) => Object.getOwnPropertyNames(cls).sort()

describe.each(CLASSES)('%s', (name) => {
  const ours = (token007 as Record<string, any>)[name]

  it('is a class with agora-token’s name and static methods', () => {
    expect(typeof ours).toBe('function')
    expect(ours.name).toBe(name)
    expect(statics(ours)).toEqual(statics(agora[name]))
    expect(Object.keys(ours)).toEqual(Object.keys(agora[name]))
    expect(new ours()).toBeInstanceOf(ours)
  })

  it('is the same class shape when bound by createTokenBuilders', () => {
    const bound = (createTokenBuilders(source) as Record<string, any>)[name]
    expect(typeof bound).toBe('function')
    expect(bound.name).toBe(name)
    expect(statics(bound)).toEqual(statics(agora[name]))
  })
})

describe('classes at work', () => {
  const args = [appId, appCertificate, 'room-1', 42, RtcRole.PUBLISHER, 600, 600] as const
  const { RtcTokenBuilder: Bound } = createTokenBuilders(source)

  it('a subclass inherits the static methods, and super calls them', () => {
    class Counted extends Bound {
      static calls = 0
      static counted(...a: typeof args): string {
        Counted.calls++
        // biome-ignore lint/complexity/noThisInStatic: super from a subclass is what is tested
        return super.buildTokenWithUid(...a)
      }
    }
    expect(Counted.buildTokenWithUid(...args)).toBe(Bound.buildTokenWithUid(...args))
    expect(Counted.counted(...args)).toBe(Bound.buildTokenWithUid(...args))
    expect(Counted.calls).toBe(1)
    expect(new Counted()).toBeInstanceOf(Bound)
  })

  it('detached calls work (the statics do not use this)', () => {
    const { buildTokenWithUid } = Bound
    const f = Bound.buildTokenWithUserAccount
    expect(buildTokenWithUid(...args)).toBe(Bound.buildTokenWithUid(...args))
    expect(f(appId, appCertificate, 'room-1', 'alice', 2, 600)).toMatch(/^007/)
    const unbound = RtcTokenBuilder.buildTokenWithUid
    expect(unbound(...args)).toMatch(/^007/)
  })

  it('the defaults are frozen: a static cannot be replaced under every caller', () => {
    expect(Object.isFrozen(RtcTokenBuilder)).toBe(true)
    expect(() => {
      ;(RtcTokenBuilder as any).buildTokenWithUid = () => 'x'
    }).toThrow(TypeError)
  })
})

describe('the legacy builders are classes too, like agora-access-token’s', () => {
  it.each(['RtcTokenBuilder', 'RtmTokenBuilder'] as const)('%s', (name) => {
    const ours = legacy[name]
    expect(typeof ours).toBe('function')
    expect(ours.name).toBe(name)
    expect(statics(ours)).toEqual(statics(agoraAccessToken[name]))
    expect(new ours()).toBeInstanceOf(ours)
    const bound = legacy.createLegacyBuilders(source)[name]
    expect(statics(bound)).toEqual(statics(agoraAccessToken[name]))
  })

  it('legacy.RtcRole and legacy.RtmRole are values equal to the reference’s', () => {
    expect(legacy.RtcRole).toEqual(agoraAccessToken.RtcRole)
    expect(legacy.RtmRole).toEqual(agoraAccessToken.RtmRole)
    const role: legacy.RtcRole = legacy.RtcRole.PUBLISHER
    expect(role).toBe(1)
  })
})
