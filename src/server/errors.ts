// HTTP errors of the token server: one class carrying the status, a stable code and extra
// headers, and the one function that turns any of them into the JSON body every error shares.

/** The stable codes of the server's JSON errors (the library's own codes pass through too). */
export type HttpErrorCode =
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_INVALID_JSON'
  | 'ERR_UNAUTHENTICATED'
  | 'ERR_FORBIDDEN'
  | 'ERR_NOT_FOUND'
  | 'ERR_METHOD_NOT_ALLOWED'
  | 'ERR_BODY_TOO_LARGE'
  | 'ERR_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_RATE_LIMITED'
  | 'ERR_UNAVAILABLE'
  | 'ERR_INTERNAL'

/**
 * An error with an HTTP status. Route handlers throw it; the server answers
 * `{ "error": { "code", "message" } }` with `status` and `headers`. The message is shown to the
 * caller, so it never holds a secret.
 *
 * @example
 * ```ts
 * throw new HttpError(403, 'ERR_FORBIDDEN', 'only hosts may publish in this channel')
 * ```
 */
export class HttpError extends Error {
  /** The HTTP status, 400..599. */
  readonly status: number
  /** A stable, machine-readable code. */
  readonly code: string
  /** Headers the response carries besides the common ones (e.g. `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>

  /**
   * @param status the HTTP status
   * @param code a stable code, see {@link HttpErrorCode}
   * @param message what went wrong and what to fix; shown to the caller
   * @param headers extra response headers
   */
  constructor(
    status: number,
    code: HttpErrorCode | (string & {}),
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'HttpError'
    this.status = status
    this.code = code
    this.headers = headers
  }
}

/** The body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string }
}

/** The JSON response of an {@link HttpError}. */
export function errorResponse(err: HttpError): Response {
  const body: ErrorBody = { error: { code: err.code, message: err.message } }
  return new Response(JSON.stringify(body), {
    status: err.status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...err.headers },
  })
}
