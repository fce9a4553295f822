// The real-timer suite inside a Cloudflare Worker (workerd), loading the built client bundle.
// One request runs it: `GET /?token=<POST /token URL>&headers=<JSON>&control=<origin>`; the
// answer is the list of checks as JSON.
import { createTokenKeeper } from '../../../dist/client.js'
import { runKeeperSuite } from './real-timers.mjs'

export default {
  async fetch(request) {
    const url = new URL(request.url)
    const tokenUrl = url.searchParams.get('token')
    const control = url.searchParams.get('control')
    const headers = JSON.parse(url.searchParams.get('headers') || '{}')
    const post = async (path) => {
      const response = await fetch(control + path, { method: 'POST' })
      if (!response.ok) throw new Error(`${path} answered ${response.status}`)
    }
    const checks = await runKeeperSuite({
      createTokenKeeper,
      tokenUrl,
      headers,
      control: {
        down: () => post('/control/down'),
        up: () => post('/control/up'),
        requests: () => fetch(control + '/control/requests').then((r) => r.json()),
      },
    })
    return Response.json(checks)
  },
}
