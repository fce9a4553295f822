// The inspector page in real headless Chromium (Debian's, driven by playwright-core): the built
// site/dist/index.html, loaded with setContent (so that no request is expected at all) and over
// HTTP from `token007 web`. Every request the page makes is recorded and refused; screenshots at
// 360 and 1280 px go to test/site/artifacts/ (not committed) for a person to look at.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTokenBuilders, legacy } from '../../src/index.js'

const ROOT = join(__dirname, '..', '..')
const PAGE = join(ROOT, 'site', 'dist', 'index.html')
const ARTIFACTS = join(__dirname, 'artifacts')
const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
]

const appId = '970ca35de60c44645bbae8a215061b33'
const cert = '5cfd2fd1755d40ecb72977518be15d3b'
const otherCert = '0cfd2fd1755d40ecb72977518be15d3b'
const now = Date.now()
const { RtcTokenBuilder } = createTokenBuilders({ now: () => now, salt: () => 7 })
// RTC and RTM for the account "alice" in room-1; privileges of 30 minutes, token 1 hour.
const rtcToken = RtcTokenBuilder.buildTokenWithRtm(appId, cert, 'room-1', 'alice', 1, 3600, 1800)
const rtcOnly = RtcTokenBuilder.buildTokenWithUid(appId, cert, 'room-1', 42, 1, 3600, 3600)

let browser: Browser
let html: string
/** Every request any page of this file tried to make, and which page. */
const requests: string[] = []

beforeAll(async () => {
  if (!existsSync(PAGE)) throw new Error('site/dist/index.html is missing: run npm run site')
  html = readFileSync(PAGE, 'utf8')
  mkdirSync(ARTIFACTS, { recursive: true })
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS })
})
afterAll(async () => {
  await browser?.close()
})

async function openPage(
  options: { width?: number; colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
  })
  // Nothing may leave the page: every request is recorded and refused.
  await context.route('**/*', (route) => {
    requests.push(route.request().url())
    return route.abort()
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(String(err)))
  page.on('request', (req) => requests.push(`request event: ${req.url()}`))
  await page.setContent(html)
  return { context, page, errors }
}

const codes = (page: Page) =>
  page.getByTestId('finding').evaluateAll((els) => els.map((el) => el.getAttribute('data-code')))

describe('inspector page', () => {
  it('paste a token → the decoded view: app id, one element per service, privileges', async () => {
    const { context, page, errors } = await openPage()
    await page.getByTestId('token-input').fill(rtcToken)
    await expect.poll(() => page.getByTestId('app-id').textContent()).toBe(appId)
    const services = page.getByTestId('service')
    expect(
      await services.evaluateAll((els) => els.map((el) => el.getAttribute('data-type'))),
    ).toEqual(['rtc', 'rtm'])
    const decoded = (await page.getByTestId('decoded').textContent()) ?? ''
    expect(decoded).toContain('"room-1"')
    expect(decoded).toMatch(/uid"alice"[\s\S]*userId"alice"/)
    expect(decoded).toContain('publishVideoStream')
    expect(decoded).toContain(
      new Date(Math.floor(now / 1000) * 1000 + 3_600_000).toISOString().replace('.000Z', 'Z'),
    )
    expect(decoded).toMatch(/expires in 59m 5\ds|expires in 1h/)
    // Without a certificate the signature is not checked; nothing else is wrong.
    expect(await codes(page)).toEqual(['SIGNATURE_NOT_CHECKED'])
    // The countdown is live.
    const countdown = page.locator('.countdown').first()
    const before = await countdown.textContent()
    await expect.poll(() => countdown.textContent(), { timeout: 3000 }).not.toBe(before)
    expect(errors).toEqual([])
    await context.close()
  })

  it('a wrong certificate → SIGNATURE_INVALID; the right one → no finding', async () => {
    const { context, page } = await openPage()
    await page.getByTestId('token-input').fill(rtcOnly)
    await page.getByTestId('cert-input').fill(otherCert)
    await expect.poll(() => codes(page)).toEqual(['SIGNATURE_INVALID'])
    const finding = page.locator('[data-testid="finding"][data-code="SIGNATURE_INVALID"]')
    expect(await finding.textContent()).toMatch(/Error.*SIGNATURE_INVALID.*Agora error 110/)
    await page.getByTestId('cert-input').fill(cert)
    await expect.poll(() => codes(page)).toEqual([])
    expect(await page.locator('#summary').textContent()).toMatch(/0 errors.*no reason to reject/)
    // A certificate of the wrong shape is named, never shown.
    await page.getByTestId('cert-input').fill('not-a-certificate-secret')
    await expect.poll(() => page.locator('#input-error').textContent()).toMatch(/certificate/)
    expect(await page.content()).not.toContain('not-a-certificate-secret')
    expect(await page.getByTestId('cert-input').getAttribute('aria-invalid')).toBe('true')
    await context.close()
  })

  it('an RTC token with the expected service rtm → WRONG_SERVICE; channel and uid compared', async () => {
    const { context, page } = await openPage()
    await page.getByTestId('token-input').fill(rtcOnly)
    await page.getByTestId('expect-service').selectOption('rtm')
    await expect.poll(() => codes(page)).toContain('WRONG_SERVICE')
    await page.getByTestId('expect-service').selectOption('rtc')
    await page.getByTestId('expect-channel').fill('room-2')
    await page.getByTestId('expect-uid').fill('43')
    await expect
      .poll(() => codes(page))
      .toEqual(['CHANNEL_MISMATCH', 'UID_MISMATCH', 'SIGNATURE_NOT_CHECKED'])
    await page.getByTestId('expect-uid').fill('alice')
    await expect.poll(() => codes(page)).toContain('ACCOUNT_VS_UID')
    await context.close()
  })

  it('shows a legacy 006 token and an unreadable one', async () => {
    const { context, page, errors } = await openPage()
    const expireTs = Math.floor(now / 1000) + 3600
    const token006 = legacy.RtcTokenBuilder.buildTokenWithUid(
      appId,
      cert,
      'room-1',
      42,
      legacy.RtcRole.PUBLISHER,
      expireTs,
    )
    await page.getByTestId('token-input').fill(token006)
    await expect.poll(() => codes(page)).toContain('LEGACY_006')
    expect(await page.getByTestId('app-id').textContent()).toBe(appId)
    await page.getByTestId('token-input').fill('007not-a-token')
    await expect.poll(() => codes(page)).toEqual(['MALFORMED'])
    expect(await page.getByTestId('decoded').textContent()).toMatch(/could not be decoded/)
    expect(errors).toEqual([])
    await context.close()
  })

  it('builds a test token with the typed API and inspects it', async () => {
    const { context, page } = await openPage()
    await page.getByTestId('build-app-id').fill(appId)
    await page.getByTestId('build-cert').fill(cert)
    await page.getByTestId('build-channel').fill('room-9')
    await page.getByTestId('build-uid').fill('7')
    await page.getByTestId('build-role').selectOption('subscriber')
    await page.getByRole('button', { name: 'Build', exact: true }).click()
    const token = await page.getByTestId('build-output').inputValue()
    expect(token).toMatch(/^007eJ/)
    await page.getByRole('button', { name: 'Inspect this token' }).click()
    await page.getByTestId('expect-role').selectOption('publisher')
    await expect.poll(() => codes(page)).toEqual(['ROLE_MISMATCH'])
    // A bad build input is reported in words, the certificate never.
    await page.getByTestId('build-cert').fill('zz')
    await page.getByRole('button', { name: 'Build', exact: true }).click()
    await expect.poll(() => page.locator('#build-error').textContent()).toMatch(/appCertificate/)
    await context.close()
  })

  it('labels every control, keeps keyboard focus visible, and does not scroll sideways at 360 px', async () => {
    const { context, page } = await openPage({ width: 360 })
    await page.getByTestId('token-input').fill(rtcToken)
    await page
      .getByTestId('expect-channel')
      .fill('a-rather-long-channel-name-that-does-not-fit-at-all')
    const unlabeled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => (el as HTMLInputElement).labels?.length === 0)
        .map((el) => el.id),
    )
    expect(unlabeled).toEqual([])
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    // The skip link shows when focused and leads to the token field.
    const skip = page.getByRole('link', { name: 'Skip to the token field' })
    await skip.focus()
    const box = await skip.boundingBox()
    expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true)
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cert')
    await context.close()
  })

  it('makes no request, and its policy would block one', async () => {
    const { context, page } = await openPage()
    await page.getByTestId('token-input').fill(rtcToken)
    const blocked = await page.evaluate(async () => {
      try {
        await fetch('https://example.com/steal')
        return 'sent'
      } catch {
        return 'blocked'
      }
    })
    expect(blocked).toBe('blocked')
    expect(requests).toEqual([])
    await context.close()
  })

  it('screenshots at 360 and 1280 px, light and dark (test/site/artifacts)', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [360, 1280]) {
        const { context, page } = await openPage({ width, colorScheme })
        await page.getByTestId('token-input').fill(rtcToken)
        await page.getByTestId('cert-input').fill(otherCert)
        await page.getByTestId('expect-service').selectOption('rtm')
        await page.getByTestId('expect-user-id').fill('bob')
        await page.getByTestId('expect-channel').fill('room-2')
        await expect.poll(() => codes(page)).toContain('SIGNATURE_INVALID')
        const path = join(ARTIFACTS, `inspector-${width}-${colorScheme}.png`)
        await page.screenshot({ path, fullPage: true })
        expect(existsSync(path)).toBe(true)
        if (width === 360) {
          // A long narrow page shrinks to nothing in an image viewer: also in readable parts.
          const height = await page.evaluate(() => document.documentElement.scrollHeight)
          for (let y = 0, part = 1; y < height; y += 1200, part++) {
            await page.screenshot({
              path: join(ARTIFACTS, `inspector-${width}-${colorScheme}-part${part}.png`),
              fullPage: true,
              clip: { x: 0, y, width, height: Math.min(1200, height - y) },
            })
          }
        }
        await context.close()
      }
    }
    expect(requests).toEqual([])
  })
})

describe('token007 web', () => {
  let child: ChildProcess
  let url: string

  beforeAll(async () => {
    child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'web', '--port', '0'], {
      env: { PATH: process.env.PATH ?? '' },
    })
    url = await new Promise<string>((resolve, reject) => {
      let out = ''
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk
        const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(out)
        if (found) resolve(found[0])
      })
      child.on('exit', (code) => reject(new Error(`token007 web exited with ${code}: ${out}`)))
    })
  })
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGTERM')
  })

  it('serves the page on loopback with its policy; the page makes no other request', async () => {
    const response = await fetch(url)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; script-src 'sha256-/,
    )
    expect(await response.text()).toBe(html)
    expect((await fetch(new URL('/favicon.ico', url))).status).toBe(404)
    expect((await fetch(url, { method: 'POST' })).status).toBe(405)

    const context = await browser.newContext()
    const seen: string[] = []
    context.on('request', (req) => seen.push(req.url()))
    const page = await context.newPage()
    await page.goto(url)
    await page.getByTestId('token-input').fill(rtcToken)
    await expect.poll(() => page.getByTestId('app-id').textContent()).toBe(appId)
    expect(seen).toEqual([url])
    await context.close()
  })

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})
