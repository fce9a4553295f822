// The published package: `import … from 'token007'` (dist/index.js) and `require('token007')`
// (dist/index.cjs), resolved through package.json "exports" in separate Node processes, export
// the drop-in builders and give the same tokens and the same errors as the sources.
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ts from 'typescript'
import { beforeAll, describe, expect, it } from 'vitest'
import { createTokenBuilders, rtcToken, verifyToken } from '../../src/index.js'

const ROOT = join(__dirname, '..', '..')
const DIST = ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts'].map((f) =>
  join(ROOT, f),
)

function newestSource(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newestSource(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  )
}

beforeAll(() => {
  // `npm test` builds first; build here too when dist/ is missing or older than src/, so this
  // file also runs on its own. Not unconditionally: tsup cleans dist/ while it builds.
  const stale = DIST.some(
    (f) => !existsSync(f) || statSync(f).mtimeMs < newestSource(join(ROOT, 'src')),
  )
  if (stale) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' })
}, 120_000)

const appId = '970ca35de60c44645bbae8a215061b33'
const appCertificate = '5cfd2fd1755d40ecb72977518be15d3b'

// The same program for both module systems; `load` is `import(...)` or `require(...)`.
const program = (load: string) => `
const m = ${load}
const { RtcTokenBuilder, RtcRole, Rtm2Permissions, createTokenBuilders, rtcToken, InvalidArgument } = m
const appId = '${appId}', appCertificate = '${appCertificate}'
const source = { now: () => 1750000000000, salt: () => 42 }
const b = createTokenBuilders(source)
const p = new Rtm2Permissions()
p.add(Rtm2Permissions.kMessageChannels, Rtm2Permissions.kRead, ['lobby'])
let refusal
try { RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', '', RtcRole.PUBLISHER, 3600) }
catch (e) { refusal = [e instanceof InvalidArgument, e.code, e.message] }
console.log(JSON.stringify({
  exports: Object.keys(m).filter((k) => k !== 'default' && k !== 'module.exports').sort(),
  role: RtcRole,
  pinned: [
    b.RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', 42, RtcRole.PUBLISHER, 3600, 3600),
    b.RtmTokenBuilder.buildTokenWithPermissions(appId, appCertificate, 'alice', p, 3600),
    b.EducationTokenBuilder.buildRoomUserToken(appId, appCertificate, 'r', 'u', 0, 600),
    b.ConvoAITokenBuilder.buildToken(appId, appCertificate, 'c', 7, 1, 600, 600, 600, 600, 600, 'agent', 600),
    rtcToken({ appId, appCertificate, source, channelName: 'room-1', uid: 42, role: 'publisher', expiresIn: '1h' }),
  ],
  live: RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', 42, RtcRole.PUBLISHER, 3600, 3600),
  refusal,
}))
`

function runNode(inputType: 'module' | 'commonjs', load: string): any {
  const out = execFileSync(process.execPath, [`--input-type=${inputType}`, '-e', program(load)], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  return JSON.parse(out)
}

it('import and require give the same exports, tokens and errors as the sources', () => {
  const esm = runNode('module', "await import('token007')")
  const cjs = runNode('commonjs', "require('token007')")

  for (const name of [
    'RtcTokenBuilder',
    'RtmTokenBuilder',
    'ChatTokenBuilder',
    'EducationTokenBuilder',
    'ApaasTokenBuilder',
    'FpaTokenBuilder',
    'ConvoAITokenBuilder',
    'SttTokenBuilder',
    'RtcRole',
    'Rtm2Permissions',
    'createTokenBuilders',
    'rtcToken',
    'rtmToken',
    'chatToken',
    'apaasToken',
    'fpaToken',
    'agentToken',
    'parseDuration',
  ]) {
    expect(esm.exports).toContain(name)
  }
  expect(cjs.exports).toEqual(esm.exports)
  expect(esm.role).toEqual({ PUBLISHER: 1, SUBSCRIBER: 2 })
  expect(cjs.role).toEqual(esm.role)

  const b = createTokenBuilders({ now: () => 1_750_000_000_000, salt: () => 42 })
  expect(esm.pinned[0]).toBe(
    b.RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', 42, 1, 3600, 3600),
  )
  expect(esm.pinned[4]).toBe(
    rtcToken({
      appId,
      appCertificate,
      source: { now: () => 1_750_000_000_000, salt: () => 42 },
      channelName: 'room-1',
      uid: 42,
      role: 'publisher',
      expiresIn: '1h',
    }),
  )
  expect(cjs.pinned).toEqual(esm.pinned)

  for (const live of [esm.live, cjs.live]) {
    expect(
      verifyToken(live, appCertificate, {
        require: {
          service: 'rtc',
          privilege: 'publishVideoStream',
          channelName: 'room-1',
          uid: 42,
        },
      }).version,
    ).toBe('007')
  }

  expect(esm.refusal).toEqual([
    true,
    'ERR_INVALID_ARGUMENT',
    expect.stringMatching(/^uid: got the empty string/),
  ])
  expect(cjs.refusal).toEqual(esm.refusal)
})

it('the declarations are generated for both entry points', () => {
  for (const file of DIST.filter((f) => /\.d\.c?ts$/.test(f))) {
    const types = readFileSync(file, 'utf8')
    expect(types).toMatch(/buildTokenWithRtm2\(/)
    // tsup renames clashing declarations (the legacy namespace has its own RtcTokenBuilder).
    expect(types).toMatch(/declare const RtcTokenBuilder(\$\d+)?: RtcTokenBuilder(\$\d+)?;/)
    expect(types).toMatch(/RtcTokenBuilder(\$\d+)? as RtcTokenBuilder\b|\bRtcTokenBuilder,/)
    expect(types).toMatch(/declare function rtcToken\(opts: RtcTokenOptions\): string/)
  }
})

// A consumer's TypeScript, compiled with --strict against the shipped declarations the way a
// consumer resolves them (node_modules/token007 → this package, through package.json "exports"):
// ESM and CommonJS under module nodenext, and module preserve with bundler resolution.
const CONSUMER = `
import {
  EducationTokenBuilder, RtcRole, RtcTokenBuilder, createTokenBuilders, decodeToken, legacy,
  type TokenBuilders,
} from 'token007'
const appId = '${appId}', appCertificate = '${appCertificate}'
const role: legacy.RtcRole = legacy.RtcRole.PUBLISHER
const rtm: legacy.RtmRole = legacy.RtmRole.Rtm_User
const t006: string = legacy.RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'c', 1, role, 0)
legacy.RtmTokenBuilder.buildToken(appId, appCertificate, 'alice', rtm, 0)
const hint: string = legacy.suggest007Call(decodeToken(t006))
class Mine extends RtcTokenBuilder {}
class OldMine extends legacy.RtcTokenBuilder {}
const viaSubclass: string = Mine.buildTokenWithUid(appId, appCertificate, 'c', 1, RtcRole.PUBLISHER, 600)
const old: string = OldMine.buildTokenWithAccount(appId, appCertificate, 'c', 'a', legacy.RtcRole.SUBSCRIBER, 0)
const instances = [new RtcTokenBuilder(), new Mine(), new EducationTokenBuilder(), new legacy.RtmTokenBuilder()]
const detached = RtcTokenBuilder.buildTokenWithUid
const isClass: boolean = typeof RtcTokenBuilder === 'function'
const bound: TokenBuilders = createTokenBuilders()
class BoundMine extends bound.RtcTokenBuilder {}
export const used = [hint, viaSubclass, old, instances, detached, isClass, BoundMine]
`

function compileConsumer(
  files: Record<string, string>,
  options: import('typescript').CompilerOptions,
): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'token007-consumer-'))
  try {
    mkdirSync(join(dir, 'node_modules'))
    symlinkSync(ROOT, join(dir, 'node_modules', 'token007'), 'dir')
    const names = Object.entries(files).map(([name, text]) => {
      writeFileSync(join(dir, name), text)
      return join(dir, name)
    })
    const program = ts.createProgram(names, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      types: [],
      ...options,
    })
    return ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const nodenext = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
}

describe('a consumer type-checks against dist (--strict)', () => {
  it.each([
    ['nodenext, ESM (index.d.ts)', { 'consumer.mts': CONSUMER }, nodenext],
    ['nodenext, CommonJS (index.d.cts)', { 'consumer.cts': CONSUMER }, nodenext],
    [
      'bundler',
      { 'consumer.ts': CONSUMER },
      { module: ts.ModuleKind.Preserve, moduleResolution: ts.ModuleResolutionKind.Bundler },
    ],
  ])('%s', (_label, files, options) => {
    expect(compileConsumer(files, options)).toEqual([])
  })

  it('and the check can fail: a misuse is reported', () => {
    const misuse = `import { legacy, RtcTokenBuilder } from 'token007'
const r: legacy.RtcRole = legacy.RtcRole.NOPE
RtcTokenBuilder.buildTokenWithUid('a', 'b', 'c', 1, 1)
`
    const errors = compileConsumer({ 'misuse.mts': misuse }, nodenext)
    expect(errors.join('\n')).toMatch(/Property 'NOPE' does not exist/)
    expect(errors.join('\n')).toMatch(/Expected 6-7 arguments, but got 5/)
  })
})
