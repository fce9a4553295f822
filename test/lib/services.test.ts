import { describe, expect, it } from 'vitest'
import { decodeToken, SERVICE_TYPES } from '../../src/index.js'
import { buildToken } from '../../src/format/007/pack.js'
import { PreparedRtm2Permissions, prepareRtm2Permissions } from '../../src/lib/services.js'
import { SERVICE_NAMES, vectorFiles } from '../helpers/vectors.js'

describe('SERVICE_TYPES', () => {
  it('names every service type of the format in type-id order', () => {
    expect(SERVICE_TYPES).toEqual(
      Object.keys(SERVICE_NAMES)
        .map(Number)
        .sort((a, b) => a - b)
        .map((id) => SERVICE_NAMES[id]),
    )
    expect(Object.isFrozen(SERVICE_TYPES)).toBe(true)
  })

  it('SERVICE_TYPES[id - 1] is the type a vector service of that id decodes to', () => {
    let checked = 0
    for (const { vectors } of vectorFiles('accesstoken2')) {
      for (const v of vectors) {
        const decoded = decodeToken(v.token)
        if (decoded.version !== '007') continue
        // Services are written sorted by type, so compare the two lists sorted.
        const expected = v.services.map((s: { type: number }) => SERVICE_TYPES[s.type - 1]).sort()
        expect(decoded.services.map((s) => s.type).sort()).toEqual(expected)
        checked += expected.length
      }
    }
    expect(checked).toBeGreaterThan(1000)
  })
})

describe('prepareRtm2Permissions (the RTM builders read agora-token details once)', () => {
  const base = {
    appId: '970CA35de60c44645bbae8a215061b33',
    appCertificate: '5cfd2fd1755d40ecb72977518be15d3b',
    expire: 600,
    issueTs: 1_700_000_000,
    salt: 12_345,
  }
  const tokenWith = (permissions: unknown) =>
    buildToken({
      ...base,
      services: [
        { type: 'rtm2', userId: 'alice', permissions: permissions as never, privileges: {} },
      ],
    })

  /** A random permission map: named and decimal keys in any order, ASCII and non-ASCII names. */
  function randomDetails(random: () => number): Record<string, Record<string, string[]>> {
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]
    const details: Record<string, Record<string, string[]>> = {}
    const resourceKeys = ['0', '1', '2', '3', '4', '17', '65535', 'messageChannels', 'users']
    const permissionKeys = ['0', '1', '9', 'read', 'write']
    const resourceCount = Math.floor(random() * 4)
    for (let r = 0; r < resourceCount; r++) {
      const rKey = pick(resourceKeys)
      if (rKey === 'messageChannels' || rKey === 'users') {
        // A name and the id it stands for would be the same type twice: keep one of them.
        if (((rKey === 'users' ? '4' : '0') as string) in details) continue
      }
      if ((rKey === '0' && 'messageChannels' in details) || (rKey === '4' && 'users' in details))
        continue
      const byPermission: Record<string, string[]> = {}
      const permissionCount = Math.floor(random() * 3)
      for (let p = 0; p < permissionCount; p++) {
        const pKey = pick(permissionKeys)
        if ((pKey === 'read' && '0' in byPermission) || (pKey === '0' && 'read' in byPermission))
          continue
        if ((pKey === 'write' && '1' in byPermission) || (pKey === '1' && 'write' in byPermission))
          continue
        byPermission[pKey] = Array.from({ length: Math.floor(random() * 4) }, (_, i) =>
          pick(['lobby', `chan-${i}`, 'café ☕', '', 'x'.repeat(300), crypto.randomUUID()]),
        )
      }
      details[rKey] = byPermission
    }
    return details
  }

  it('writes exactly what the permission map writes, for 2,000 random maps', () => {
    let seed = 7
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0
      return seed / 2 ** 32
    }
    for (let i = 0; i < 2000; i++) {
      const details = randomDetails(random)
      const prepared = prepareRtm2Permissions(details)
      expect(prepared).toBeInstanceOf(PreparedRtm2Permissions)
      expect(tokenWith(prepared)).toBe(tokenWith(details))
    }
  })

  it('reads each value once: a getter cannot show the check one value and the writer another', () => {
    let reads = 0
    const names = ['lobby', 'news']
    const details = Object.defineProperty({}, '0', {
      enumerable: true,
      get: () => {
        reads++
        return reads === 1 ? { 0: names } : { 0: [42] }
      },
    })
    const prepared = prepareRtm2Permissions(details)
    expect(reads).toBe(1)
    names.push('changed later')
    expect(tokenWith(prepared)).toBe(tokenWith({ 0: { 0: ['lobby', 'news'] } }))
  })

  class Details {
    0 = { 0: ['lobby'] }
  }
  const nullPrototype = Object.assign(Object.create(null), { 0: { 0: ['lobby'] } })
  class Names extends Array<string> {}
  const declined: Array<[string, unknown]> = [
    ['not an object', 'lobby'],
    ['null', null],
    ['an array', [{ 0: ['lobby'] }]],
    ['a class instance', new Details()],
    ['a Map', new Map([[0, { 0: ['lobby'] }]])],
    ['an object without a prototype', nullPrototype],
    ['an object with toJSON', { toJSON: () => ({}), 0: { 0: ['lobby'] } }],
    ['an unknown resource type', { channels: { 0: ['lobby'] } }],
    ['a resource type beyond uint16', { 65536: { 0: ['lobby'] } }],
    ['a resource type given by name and by id', { 0: { 0: ['a'] }, messageChannels: { 1: ['b'] } }],
    ['a permission that is not an object', { 0: ['lobby'] }],
    ['an unknown permission', { 0: { admin: ['lobby'] } }],
    ['a permission given by name and by id', { 0: { 0: ['a'], read: ['b'] } }],
    ['a resource list that is a string', { 0: { 0: 'lobby' } }],
    ['a resource list that is an Array subclass', { 0: { 0: Names.from(['lobby']) } }],
    ['a resource name that is a number', { 0: { 0: ['lobby', 7] } }],
    ['a hole in the resource list', { 0: { 0: new Array<string>(2).fill('lobby', 1) } }],
    ['a resource name over 65535 units', { 0: { 0: ['x'.repeat(65_536)] } }],
    ['more than 65535 resource names', { 0: { 0: Array.from({ length: 65_536 }, () => 'a') } }],
  ]
  it.each(declined)('leaves %s to the general path', (_label, details) => {
    expect(prepareRtm2Permissions(details)).toBeUndefined()
  })
})
