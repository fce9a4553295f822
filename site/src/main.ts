// The inspector page: paste a token, see what it says and why it would be rejected. Everything
// runs here; the page makes no request (its Content-Security-Policy forbids them too).
import {
  chatToken,
  type DiagnoseExpected,
  type DiagnoseResult,
  diagnoseToken,
  InvalidArgument,
  rtcToken,
  rtmToken,
  type ServiceType,
} from '../../src/index.js'
import { byId, h } from './dom.js'
import { decodedView, findingView, tick } from './render.js'

const tokenInput = byId<HTMLTextAreaElement>('token')
const certInput = byId<HTMLInputElement>('cert')
const expectForm = byId<HTMLFormElement>('expect-form')
const inputError = byId<HTMLElement>('input-error')
const summary = byId<HTMLElement>('summary')
const findingsList = byId<HTMLElement>('findings')
const decoded = byId<HTMLElement>('decoded')

const field = (id: string) => byId<HTMLInputElement | HTMLSelectElement>(id).value.trim()

/** Which input an InvalidArgument from diagnoseToken is about, from the path it names. */
const FIELD_OF: Record<string, string> = {
  appId: 'expect-app-id',
  appCertificate: 'cert',
  appCertificates: 'cert',
  uid: 'expect-uid',
  account: 'expect-uid',
  userId: 'expect-user-id',
  at: 'expect-at',
}

function expectations(): DiagnoseExpected {
  const e: DiagnoseExpected = {}
  const certificates = certInput.value.split(/[\s,]+/).filter((c) => c !== '')
  if (certificates.length > 0) e.appCertificates = certificates
  if (field('expect-app-id')) e.appId = field('expect-app-id')
  if (field('expect-service')) e.service = field('expect-service') as ServiceType
  const channel = byId<HTMLInputElement>('expect-channel').value
  if (channel !== '') e.channelName = channel
  const uid = field('expect-uid')
  if (uid !== '') {
    // Digits are a numeric uid (joinChannel); anything else a user account.
    if (/^\d{1,10}$/.test(uid)) e.uid = Number(uid)
    else e.account = uid
  }
  if (field('expect-user-id')) e.userId = field('expect-user-id')
  const role = field('expect-role')
  if (role === 'publisher' || role === 'subscriber') e.role = role
  const at = field('expect-at')
  if (at !== '') e.at = new Date(at)
  return e
}

let shownFindings = ''

function clearInvalid(): void {
  for (const el of document.querySelectorAll('[aria-invalid="true"]')) {
    el.removeAttribute('aria-invalid')
  }
  inputError.textContent = ''
  inputError.hidden = true
}

function showInvalid(err: InvalidArgument): void {
  const path = /^expected\.(\w+)/.exec(err.message)?.[1]
  const id = path === undefined ? undefined : FIELD_OF[path]
  if (id !== undefined) byId(id).setAttribute('aria-invalid', 'true')
  inputError.textContent = err.message.replace(
    /^expected\.appCertificates?(\[\d+\])?/,
    'certificate',
  )
  inputError.hidden = false
}

function judgeTime(e: DiagnoseExpected): number {
  return e.at?.getTime() ?? Date.now()
}

/** Diagnoses the pasted token and renders the findings and the decoded view. */
function update(): void {
  clearInvalid()
  const token = tokenInput.value.trim()
  if (token === '') {
    summary.textContent = 'Paste a token to inspect it.'
    findingsList.replaceChildren()
    decoded.replaceChildren(h('p', { class: 'note' }, 'Nothing to show yet.'))
    shownFindings = ''
    return
  }
  let e: DiagnoseExpected
  let result: DiagnoseResult
  try {
    e = expectations()
    result = diagnoseToken(token, e)
  } catch (err) {
    if (!(err instanceof InvalidArgument)) throw err
    showInvalid(err)
    return
  }
  renderFindings(result)
  decoded.replaceChildren(
    result.token === undefined
      ? h('p', { class: 'note' }, 'The token could not be decoded: see the findings.')
      : decodedView(result.token, judgeTime(e)),
  )
}

function renderFindings(result: DiagnoseResult): void {
  const key = JSON.stringify(result.findings)
  if (key === shownFindings) return
  shownFindings = key
  const count = (severity: string) => result.findings.filter((f) => f.severity === severity).length
  const errors = count('error')
  const warnings = count('warning')
  const notes = count('info')
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`
  summary.textContent =
    `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(notes, 'note')}: ` +
    (result.ok ? 'no reason to reject this token.' : 'an Agora client would reject this token.')
  summary.className = result.ok ? 'summary ok' : 'summary bad'
  findingsList.replaceChildren(...result.findings.map(findingView))
}

tokenInput.addEventListener('input', update)
certInput.addEventListener('input', update)
expectForm.addEventListener('input', update)
expectForm.addEventListener('change', update)
expectForm.addEventListener('submit', (event) => event.preventDefault())

// Live countdowns, and findings that change with time (EXPIRES_SOON, EXPIRED), unless a fixed
// time to judge at was chosen.
setInterval(() => {
  if (field('expect-at') !== '') return
  tick(decoded, Date.now())
  if (tokenInput.value.trim() !== '') {
    try {
      renderFindings(diagnoseToken(tokenInput.value.trim(), expectations()))
    } catch (err) {
      if (!(err instanceof InvalidArgument)) throw err
    }
  }
}, 1000)

// The build form: test tokens through the typed API.
const buildForm = byId<HTMLFormElement>('build-form')
const buildOutput = byId<HTMLTextAreaElement>('build-output')
const buildError = byId<HTMLElement>('build-error')
const buildKind = byId<HTMLSelectElement>('build-kind')

function showKindFields(): void {
  const kind = buildKind.value
  for (const el of buildForm.querySelectorAll<HTMLElement>('[data-kinds]')) {
    el.hidden = !(el.dataset.kinds ?? '').split(' ').includes(kind)
  }
}
buildKind.addEventListener('change', showKindFields)
showKindFields()

function randomHex32(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

byId('build-random').addEventListener('click', () => {
  byId<HTMLInputElement>('build-app-id').value = randomHex32()
  byId<HTMLInputElement>('build-cert').value = randomHex32()
})

buildForm.addEventListener('submit', (event) => {
  event.preventDefault()
  buildError.hidden = true
  const common = {
    appId: field('build-app-id'),
    appCertificate: field('build-cert'),
    expiresIn: field('build-expires') || '1h',
  }
  const user = field('build-uid')
  try {
    const kind = buildKind.value
    buildOutput.value =
      kind === 'rtc'
        ? rtcToken({
            ...common,
            channelName: byId<HTMLInputElement>('build-channel').value,
            uid: /^\d{1,10}$/.test(user) ? Number(user) : user,
            role: field('build-role') === 'subscriber' ? 'subscriber' : 'publisher',
            ...(field('build-user-id') ? { rtmUserId: field('build-user-id') } : {}),
          })
        : kind === 'rtm'
          ? rtmToken({ ...common, userId: field('build-user-id') })
          : chatToken({ ...common, userId: field('build-user-id') })
    byId('build-inspect').hidden = false
  } catch (err) {
    if (!(err instanceof InvalidArgument)) throw err
    buildError.textContent = err.message
    buildError.hidden = false
    buildOutput.value = ''
    byId('build-inspect').hidden = true
  }
})

byId('build-inspect').addEventListener('click', () => {
  tokenInput.value = buildOutput.value
  certInput.value = field('build-cert')
  update()
  tokenInput.focus()
})

// Theme: the system's by default; the button cycles auto → light → dark.
const themeButton = byId<HTMLButtonElement>('theme')
const THEMES = ['auto', 'light', 'dark'] as const
themeButton.addEventListener('click', () => {
  const next = THEMES[(THEMES.indexOf(themeButton.dataset.theme as never) + 1) % THEMES.length]
  themeButton.dataset.theme = next
  themeButton.textContent = `Theme: ${next}`
  if (next === 'auto') delete document.documentElement.dataset.theme
  else document.documentElement.dataset.theme = next
})

update()
