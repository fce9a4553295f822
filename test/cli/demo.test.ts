// token007 demo, in-process through main(args, io).
import { describe, expect, it } from 'vitest'
import { verifyToken } from '../../src/index.js'
import { cli } from '../helpers/cli.js'

const DEMO_CERT = 'ffffffffffffffffffffffffffffffff'
const NOW = Date.UTC(2030, 0, 1)

describe('token007 demo', () => {
  it('builds, inspects and verifies RTC, RTM and Chat tokens with labelled demo credentials', async () => {
    const run = await cli(['demo'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('DEMO credentials — public, and not valid with Agora')
    const tokens = [
      ...run.stdout.matchAll(/^\$ (\w+)_TOKEN=\$\(token007 build .*\)\n {2}(007\S+)$/gm),
    ].map((m) => [m[1], m[2]])
    expect(tokens.map(([name]) => name)).toEqual(['RTC', 'RTM', 'CHAT'])
    const [rtc, rtm, chat] = tokens.map(([, token]) => verifyToken(token, DEMO_CERT))
    const services = [rtc, rtm, chat].map((t) => (t.version === '007' ? t.services : []))
    expect(services[0]).toMatchObject([{ type: 'rtc', channelName: 'demo-room', uid: '42' }])
    expect(Object.keys(services[0][0].privileges)).toEqual([
      'joinChannel',
      'publishAudioStream',
      'publishVideoStream',
      'publishDataStream',
    ])
    expect(services[1]).toMatchObject([{ type: 'rtm', userId: 'demo-user' }])
    expect(services[2]).toMatchObject([
      { type: 'chat', userId: 'demo-user', privileges: { user: 86400 } },
    ])
    expect(run.stdout.match(/^ {2}valid: 007 token/gm)).toHaveLength(3)
    expect(run.stdout.match(/^ {2}AccessToken2 \(007\)$/gm)).toHaveLength(3)
    // The tampered copy and the other rejections, each with its code.
    expect(run.stdout).toMatch(
      /\$ token007 verify "\$TAMPERED"\n {2}token007 verify: rejected: ERR_TOKEN_\w+: /,
    )
    expect(run.stdout).toMatch(
      /\$ token007 verify "\$FORGED" .*\n {2}token007 verify: rejected: ERR_TOKEN_SIGNATURE: /,
    )
    expect(run.stdout).toContain('rejected: ERR_TOKEN_EXPIRED: ')
    expect(run.stdout).toContain('rejected: ERR_TOKEN_CLAIM: ')
    expect(run.stdout).toContain('export AGORA_APP_CERTIFICATE=<your app certificate>')
  })

  it('prints its public credentials and every step, so that each one can be pasted and replayed', async () => {
    const run = await cli(['demo'], { now: NOW })
    expect(run.code, run.stderr).toBe(0)
    const env: Record<string, string> = {}
    for (const [, name, value] of run.stdout.matchAll(/^ {2}export (AGORA_\w+)=(\S+)$/gm)) {
      env[name] = value
    }
    expect(env).toEqual({ AGORA_APP_ID: '0'.repeat(32), AGORA_APP_CERTIFICATE: DEMO_CERT })

    // Replay the transcript: each `$ ` line with the shell variables it set, under the printed
    // credentials; each must end as the demo said (the exit code, and its first output line).
    const vars: Record<string, string> = {}
    const lines = run.stdout.split('\n')
    let replayed = 0
    for (let i = 0; i < lines.length; i++) {
      const command = /^\$ (.*)$/.exec(lines[i])?.[1]
      if (command === undefined) continue
      const shown: string[] = []
      for (let j = i + 1; j < lines.length && lines[j].startsWith('  '); j++) shown.push(lines[j])
      const assignment = /^(\w+)=(?:\$\((.*)\)|(\S+))$/.exec(command)
      if (assignment?.[3] !== undefined) {
        vars[assignment[1]] = assignment[3]
        continue
      }
      const args = words(assignment?.[2] ?? command, vars)
      expect(args[0]).toBe('token007')
      const again = await cli(args.slice(1), { env, now: NOW })
      const exit = /^ {2}\(exit (\d)\)$/.exec(shown.at(-1) ?? '')
      expect(again.code, command).toBe(exit ? Number(exit[1]) : 0)
      const first = (again.stdout || again.stderr).split('\n')[0]
      if (assignment !== null) {
        // A build: a fresh salt, so another token, made with the same credentials.
        expect(verifyToken(again.stdout.trim(), DEMO_CERT).appId).toBe(env.AGORA_APP_ID)
        vars[assignment[1]] = shown[0].trim()
      } else expect(`  ${first}`, command).toBe(shown[0])
      replayed++
    }
    expect(replayed).toBe(13)
  })
})

/** Splits a shell command line into words, expanding "$NAME" from `vars`. */
function words(line: string, vars: Record<string, string>): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map(([, quoted, bare]) =>
    (quoted ?? bare).replace(/\$(\w+)/g, (_, name) => {
      expect(vars[name], name).toBeDefined()
      return vars[name]
    }),
  )
}
