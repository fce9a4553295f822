// Entry of the browser page: the package comes unbundled from the ESM build, its dependencies
// through the page's import map.
import * as lib from 'token007'
import slice from './slice.mjs'
import { runSuite } from './suite.mjs'

globalThis.suiteResult = { userAgent: navigator.userAgent, ...runSuite(lib, slice) }
