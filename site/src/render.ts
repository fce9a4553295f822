// The decoded view and the findings list, built as DOM from a DiagnoseResult. Text from the token
// is shown escaped (control and bidi characters as \uXXXX), and always as text, never as HTML.
import type {
  DecodedService,
  DecodedToken,
  DecodedToken006,
  DecodedToken007,
  Finding,
} from '../../src/index.js'
import { SERVICE_TYPES } from '../../src/index.js'
import { quote } from '../../src/diagnose/escape.js'
import { h } from './dom.js'
import { deadline, iso, relative, span } from './time.js'

const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', info: 'Note' } as const

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

function appIdText(appId: string): string {
  return /^[0-9a-fA-F]{32}$/.test(appId) ? appId : quote(appId)
}

/** A live deadline: its text is refreshed every second by {@link tick}. */
function countdown(atMs: number, nowMs: number): HTMLElement {
  return h('span', { class: 'countdown', 'data-deadline': atMs }, deadline(atMs, nowMs))
}

/** Refreshes every live deadline under `root` for `nowMs`. */
export function tick(root: ParentNode, nowMs: number): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-deadline]')) {
    const atMs = Number(el.dataset.deadline)
    el.textContent = deadline(atMs, nowMs)
    el.classList.toggle('past', nowMs >= atMs)
  }
}

function row(term: string, ...value: Array<Node | string>): Node[] {
  return [h('dt', {}, term), h('dd', {}, ...value)]
}

/** The decoded view of a token, times relative to `nowMs`. */
export function decodedView(token: DecodedToken, nowMs: number): HTMLElement {
  return token.version === '007' ? view007(token, nowMs) : view006(token, nowMs)
}

function view007(t: DecodedToken007, nowMs: number): HTMLElement {
  const end = t.issueTs + t.expire
  const services = h(
    'ol',
    { class: 'services' },
    ...t.services.map((s, i) => serviceView(t, s, i, nowMs)),
  )
  return h(
    'div',
    {},
    h(
      'dl',
      { class: 'facts' },
      ...row('Version', '007 (AccessToken2)'),
      ...row('App id', h('code', { 'data-testid': 'app-id' }, appIdText(t.appId))),
      ...row(
        'Issued',
        h('time', { datetime: iso(t.issueTs) }, iso(t.issueTs)),
        ` (${relative(t.issueTs * 1000, nowMs)})`,
      ),
      ...row(
        'Expires',
        h('time', { datetime: iso(end) }, iso(end)),
        ' (',
        countdown(end * 1000, nowMs),
        ')',
      ),
      ...row('Lifetime', `${t.expire} s${t.expire >= 60 ? ` (${span(t.expire * 1000)})` : ''}`),
      ...row('Salt', String(t.salt)),
      ...row('Signature', h('code', { class: 'wrap' }, hex(t.signature))),
    ),
    h('h3', {}, `Services (${t.services.length})`),
    services,
    t.unknownServiceType === undefined
      ? null
      : h(
          'p',
          { class: 'note' },
          `Then a service of type ${t.unknownServiceType}, unknown to this page: it and anything after it are not shown (still signed).`,
        ),
  )
}

function serviceView(
  t: DecodedToken007,
  service: DecodedService,
  index: number,
  nowMs: number,
): HTMLElement {
  const fields: Node[] = []
  for (const [name, value] of Object.entries(service)) {
    if (name === 'type' || name === 'privileges' || name === 'permissions') continue
    const shown =
      typeof value === 'string'
        ? value === '' && name === 'uid'
          ? '"" (uid 0: any uid)'
          : quote(value)
        : String(value)
    fields.push(...row(name, h('code', {}, shown)))
  }
  if ('permissions' in service) {
    for (const [resource, perms] of Object.entries(service.permissions)) {
      for (const [permission, names] of Object.entries(perms ?? {})) {
        fields.push(
          ...row(`${resource}.${permission}`, (names ?? []).map(quote).join(', ') || '(none)'),
        )
      }
    }
  }
  const entries = Object.entries(service.privileges as Record<string, number>)
  const table =
    entries.length === 0
      ? h('p', { class: 'note' }, 'No privileges.')
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'privileges' },
            h('caption', {}, `Privileges of service ${index + 1}`),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, 'Privilege'),
                h('th', { scope: 'col' }, 'Value (s)'),
                h('th', { scope: 'col' }, 'Ends'),
              ),
            ),
            h(
              'tbody',
              {},
              ...entries.map(([name, seconds]) =>
                h(
                  'tr',
                  {},
                  h('th', { scope: 'row' }, /^\d+$/.test(name) ? `privilege ${name}` : name),
                  h('td', { class: 'num' }, String(seconds)),
                  h(
                    'td',
                    {},
                    ...(seconds === 0
                      ? ['0: as long as the token']
                      : [
                          h(
                            'time',
                            { datetime: iso(t.issueTs + seconds) },
                            iso(t.issueTs + seconds),
                          ),
                          ' (',
                          countdown((t.issueTs + seconds) * 1000, nowMs),
                          ')',
                        ]),
                  ),
                ),
              ),
            ),
          ),
        )
  return h(
    'li',
    { 'data-testid': 'service', 'data-type': service.type, class: 'service' },
    h(
      'h4',
      {},
      `${service.type} `,
      h('span', { class: 'dim' }, `(type ${SERVICE_TYPES.indexOf(service.type) + 1})`),
    ),
    fields.length > 0 ? h('dl', { class: 'facts' }, ...fields) : null,
    table,
  )
}

function crcText(crc: number): string {
  return `0x${crc.toString(16).padStart(8, '0')}`
}

function view006(t: DecodedToken006, nowMs: number): HTMLElement {
  const entries = Object.entries(t.privileges as Record<string, number>)
  return h(
    'div',
    {},
    h(
      'dl',
      { class: 'facts' },
      ...row('Version', '006 (legacy AccessToken)'),
      ...row('App id', h('code', { 'data-testid': 'app-id' }, appIdText(t.appId))),
      ...row(
        'Expires',
        h('time', { datetime: iso(t.ts) }, iso(t.ts)),
        ' (',
        countdown(t.ts * 1000, nowMs),
        ')',
      ),
      ...row('Salt', String(t.salt)),
      ...row('Channel', `CRC-32 ${crcText(t.crcChannelName)} (the name is not in the token)`),
      ...row('Uid', `CRC-32 ${crcText(t.crcUid)}${t.crcUid === 0 ? ' (uid 0: any uid)' : ''}`),
      ...row('Signature', h('code', { class: 'wrap' }, hex(t.signature))),
    ),
    h('h3', {}, 'Services (1)'),
    h(
      'ol',
      { class: 'services' },
      h(
        'li',
        {
          'data-testid': 'service',
          'data-type': 'rtmLogin' in t.privileges ? 'rtm' : 'rtc',
          class: 'service',
        },
        h('h4', {}, 'rtmLogin' in t.privileges ? 'rtm (006)' : 'rtc (006)'),
        h(
          'ul',
          {},
          ...entries.map(([name, at]) =>
            h(
              'li',
              {},
              `${name}: `,
              ...(at === 0
                ? ['0 (no limit of its own)']
                : [
                    h('time', { datetime: iso(at) }, iso(at)),
                    ' (',
                    countdown(at * 1000, nowMs),
                    ')',
                  ]),
            ),
          ),
        ),
      ),
    ),
  )
}

/** One finding as a list item: severity in words (not colour alone), code, message, fix. */
export function findingView(f: Finding): HTMLElement {
  return h(
    'li',
    {
      'data-testid': 'finding',
      'data-code': f.code,
      'data-severity': f.severity,
      class: `finding ${f.severity}`,
    },
    h(
      'p',
      { class: 'finding-head' },
      h('span', { class: 'badge' }, SEVERITY_LABEL[f.severity]),
      ' ',
      h('code', {}, f.code),
      f.agoraError === undefined
        ? null
        : h('span', { class: 'dim' }, ` · Agora error ${f.agoraError}`),
    ),
    h('p', { class: 'message' }, f.message),
    f.fix === undefined
      ? null
      : h('p', { class: 'fix' }, h('span', { class: 'dim' }, 'Fix: '), h('code', {}, f.fix)),
  )
}
