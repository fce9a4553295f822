// Heap after a full GC while the token server's handler answers 160,000 authenticated requests
// in-process (50 at a time), every limit on so the rate-limit store is used too: a per-request
// leak would show as growth between the rounds. `node --expose-gc bench/server/heap.mjs` after
// `npm run build`.
import { createTokenServer } from '../../dist/server.js'

const key = 'heap-check-key-0123456789'
const server = createTokenServer({
  appId: '970ca35de60c44645bbae8a215061b33',
  appCertificate: '5cfd2fd1755d40ecb72977518be15d3b',
  apiKeys: [key],
  rateLimit: '1000000/min',
})
const body = '{"type":"rtc","channelName":"bench","uid":42,"role":"publisher"}'
const headers = {
  'content-type': 'application/json',
  'content-length': String(body.length),
  authorization: `Bearer ${key}`,
}
const send = () =>
  server
    .fetch(new Request('http://local/token', { method: 'POST', headers, body }))
    .then((r) => r.text())

const heapMiB = () => {
  globalThis.gc()
  globalThis.gc()
  return Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10
}

const points = [`0: ${heapMiB()} MiB`]
for (let round = 1; round <= 4; round++) {
  for (let i = 0; i < 40_000; i += 50) await Promise.all(Array.from({ length: 50 }, send))
  points.push(`${round * 40}k: ${heapMiB()} MiB`)
}
console.log(`heap after GC, by requests answered: ${points.join(', ')}`)
