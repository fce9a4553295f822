// The token keeper's token reader: decodeToken(token) with the default options, in a fraction
// of the library decoder's size (test/client/decode proves the two agree on every input).
import type { DecodedToken } from '../../index.js'
import { TokenVersionError } from '../../index.js'
import { read006 } from './token006.js'
import { read007 } from './token007.js'

/**
 * Decodes a token without verifying it, exactly as `decodeToken(token)` does.
 * @throws {TokenError} `ERR_TOKEN_VERSION`, `ERR_TOKEN_MALFORMED` or `ERR_TOKEN_TOO_LARGE`
 */
export function readToken(token: string): DecodedToken {
  const version = token.slice(0, 3)
  if (version === '007') return read007(token)
  if (version === '006') return read006(token)
  throw new TokenVersionError(token ? 'token does not start with "007" or "006"' : 'token is empty')
}
