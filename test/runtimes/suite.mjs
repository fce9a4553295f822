// The runtime suite: one representative slice of the vectors run through the built package, the
// same on every runtime. It takes the package's module namespace and the slice as arguments and
// does no I/O, so that Node, Bun, Deno, a Worker and a browser page can all call it.

/**
 * Runs every check of the slice against `lib` (the package's exports).
 * @returns {{ passed: number, failed: number, failures: string[], sections: Record<string, number> }}
 */
export function runSuite(lib, slice) {
  const failures = []
  const sections = {}
  let passed = 0

  function section(name, entries, check) {
    sections[name] = entries.length
    for (const entry of entries) {
      try {
        check(entry)
        passed++
      } catch (error) {
        failures.push(
          `${name} ${entry.file ? entry.file + ' ' : ''}${entry.id}: ${error?.message ?? error}`,
        )
      }
    }
  }

  section('platform', PLATFORM_CHECKS, (c) => c.run(lib))
  section('token007', slice.token007, (v) => token007(lib, v))
  section('invalid', slice.invalid, (v) => invalid(lib, v))
  section('builders007', slice.builders007, (v) => builder007(lib, v))
  section('token006', slice.token006, (v) => token006(lib, v))
  section('builders006', slice.builders006, (v) => builder006(lib, v))
  return { passed, failed: failures.length, failures, sections }
}

// A certificate of the same shape that is not the right one (one hex digit changed).
function otherCertificate(cert) {
  return (cert[0] === '0' ? '1' : '0') + cert.slice(1)
}

function hex(bytes) {
  let out = ''
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}

function fail(message) {
  throw new Error(message)
}

function equal(actual, expected, what) {
  if (!deepEqual(actual, expected)) {
    fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

// Structural equality of JSON-like values; object key order does not matter, array order does.
function deepEqual(a, b) {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
}

/** Runs `fn`, which must throw a TokenError with one of `codes`. */
function rejects(lib, fn, codes, what) {
  let error
  try {
    fn()
  } catch (e) {
    error = e
  }
  if (error === undefined) fail(`${what}: expected ${codes.join(' or ')}, nothing was thrown`)
  if (!(error instanceof lib.TokenError)) fail(`${what}: expected a TokenError, got ${error}`)
  if (!codes.includes(error.code))
    fail(`${what}: expected ${codes.join(' or ')}, got ${error.code} (${error.message})`)
}

function api(value, name) {
  if (value === undefined) fail(`${name} is not exported by the package`)
  return value
}

// What the runtime itself provides: the CSPRNG and the clock behind the defaults, and errors that
// are real Error subclasses.
const APP_ID = '970ca35de60c44645bbae8a215061b33'
const CERT = '5cfd2fd1755d40ecb72977518be15d3b'
const PLATFORM_CHECKS = [
  {
    id: 'core exports',
    run(lib) {
      for (const name of ['buildToken', 'decodeToken', 'verifyToken']) {
        if (typeof lib[name] !== 'function') fail(`${name} is not exported as a function`)
      }
    },
  },
  {
    id: 'default clock and random salt',
    run(lib) {
      const service = { type: 'rtc', channelName: 'room', uid: 1, privileges: { joinChannel: 60 } }
      const a = lib.buildToken({
        appId: APP_ID,
        appCertificate: CERT,
        expire: 60,
        services: [service],
      })
      const b = lib.buildToken({
        appId: APP_ID,
        appCertificate: CERT,
        expire: 60,
        services: [service],
      })
      const va = lib.verifyToken(a, CERT, {
        require: { service: 'rtc', privilege: 'joinChannel', uid: 1 },
      })
      const vb = lib.decodeToken(b)
      if (Math.abs(va.issueTs * 1000 - Date.now()) > 5000) fail(`issueTs ${va.issueTs} is not now`)
      if (va.salt < 1 || va.salt > 99_999_999) fail(`salt ${va.salt} is outside 1..99999999`)
      // Two salts from crypto.getRandomValues collide with probability 1e-8.
      if (va.salt === vb.salt) fail('two builds drew the same salt')
    },
  },
  {
    id: 'errors are Error subclasses with codes',
    run(lib) {
      let error
      try {
        lib.buildToken({ appId: 'nope', appCertificate: CERT, expire: 60, services: [] })
      } catch (e) {
        error = e
      }
      if (!(error instanceof Error) || !(error instanceof lib.TokenError))
        fail(`not a TokenError: ${error}`)
      if (error.code !== 'ERR_INVALID_ARGUMENT') fail(`code ${error.code}`)
      if (!String(error.message).includes('appId'))
        fail(`message does not name appId: ${error.message}`)
      if (String(error.message).includes(CERT)) fail('message contains the certificate')
    },
  },
]

function token007(lib, v) {
  const ours = lib.buildToken(v.input)
  equal(ours, v.expectToken, 'buildToken')
  // A divergent output encodes its generator's bug; the canonical token encodes the inputs.
  const decoded = lib.decodeToken(v.divergent ? ours : v.token)
  equal(
    {
      version: decoded.version,
      appId: decoded.appId,
      issueTs: decoded.issueTs,
      expire: decoded.expire,
      salt: decoded.salt,
      services: decoded.services,
      signature: hex(decoded.signature),
    },
    { version: '007', ...v.decoded },
    'decodeToken',
  )
  equal(decoded.expiresAt.getTime(), (v.decoded.issueTs + v.decoded.expire) * 1000, 'expiresAt')

  // Every output verifies, the generator's own included.
  const at = new Date(v.atMs)
  const expired = new Date((v.decoded.issueTs + v.decoded.expire) * 1000)
  const wrong = otherCertificate(v.appCertificate)
  equal(
    lib.verifyToken(v.token, v.appCertificate, { currentDate: at }).certificateIndex,
    0,
    'certificateIndex',
  )
  equal(
    lib.verifyToken(v.token, [wrong, v.appCertificate], { currentDate: at }).certificateIndex,
    1,
    'rotated certificateIndex',
  )
  rejects(
    lib,
    () => lib.verifyToken(v.token, wrong, { currentDate: at }),
    ['ERR_TOKEN_SIGNATURE'],
    'wrong certificate',
  )
  rejects(
    lib,
    () => lib.verifyToken(v.token, v.appCertificate, { currentDate: expired }),
    ['ERR_TOKEN_EXPIRED'],
    'at expiry',
  )
}

function invalid(lib, v) {
  const verify = () => lib.verifyToken(v.token, v.appCertificate, { currentDate: new Date(0) })
  if (v.accept) {
    const verified = verify()
    if (!(verified.unknownServiceType > 10))
      fail(`unknownServiceType is ${verified.unknownServiceType}`)
  } else {
    rejects(lib, verify, v.codes, 'verifyToken')
  }
}

function builderFunction(builders, name) {
  const [owner, method] = name.split('.')
  const fn = builders[owner]?.[method]
  if (typeof fn !== 'function') fail(`no builder ${name}`)
  return fn.bind(builders[owner])
}

function builder007(lib, v) {
  // The guards refuse some of the references' arguments on purpose (roles 0 and 3, empty
  // accounts); the vectors replay the references, so they run with the guards off.
  const source = { now: () => v.clockMs, salt: () => v.salt }
  const builders = api(lib.createTokenBuilders, 'createTokenBuilders')(source, { guards: false })
  let args = v.args
  if (v.builder === 'RtmTokenBuilder.buildTokenWithPermissions') {
    // Filled through Rtm2Permissions.add, as the generators filled theirs.
    const permissions = new (api(lib.Rtm2Permissions, 'Rtm2Permissions'))()
    for (const [resource, byPermission] of Object.entries(args[3])) {
      for (const [permission, names] of Object.entries(byPermission))
        permissions.add(Number(resource), Number(permission), names)
    }
    args = [...args.slice(0, 3), permissions, ...args.slice(4)]
  }
  const token = builderFunction(builders, v.builder)(...args)
  // A signature over the same signed bytes proves the same payload, whatever the deflate was.
  equal(hex(lib.decodeToken(token).signature), v.signature, 'signature')
  if (v.expectToken !== null) equal(token, v.expectToken, 'token')
}

function token006(lib, v) {
  const decoded = lib.decodeToken(v.token)
  equal(
    { version: decoded.version, appId: decoded.appId, ts: decoded.ts, salt: decoded.salt },
    { version: '006', ...v.decoded },
    'decodeToken',
  )
  const at = new Date(v.atMs)
  const claims = { channelName: v.channelName, uid: v.uid, currentDate: at }
  equal(lib.verifyToken(v.token, v.appCertificate, claims).certificateIndex, 0, 'certificateIndex')
  rejects(
    lib,
    () => lib.verifyToken(v.token, otherCertificate(v.appCertificate), claims),
    ['ERR_TOKEN_SIGNATURE'],
    'wrong certificate',
  )
  const legacy = api(lib.legacy, 'legacy')
  equal(api(legacy.buildToken006, 'legacy.buildToken006')(v.input), v.expectToken, 'buildToken006')
}

function builder006(lib, v) {
  const legacy = api(lib.legacy, 'legacy')
  // As for 007: the references' arguments include durations where absolute times belong.
  const source = { now: () => v.clockMs, salt: () => v.salt }
  const builders = api(legacy.createLegacyBuilders, 'legacy.createLegacyBuilders')(source, {
    guards: false,
  })
  equal(builderFunction(builders, v.builder)(...v.args), v.expectToken, 'token')
}
