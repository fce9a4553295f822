// Entry of the Cloudflare Worker (bundled by esbuild, as wrangler would): runs the suite per
// request and answers with the counts.
import * as lib from 'token007'
import slice from './slice.mjs'
import { runSuite } from './suite.mjs'

export default {
  async fetch() {
    return Response.json({ userAgent: navigator.userAgent, ...runSuite(lib, slice) })
  },
}
