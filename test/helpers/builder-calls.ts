// Calling a drop-in builder by its agora-token name with a vector's positional arguments.
import { inflateSync } from 'node:zlib'

/** `'RtcTokenBuilder.buildTokenWithUid'` → the function on `builders`, or on agora-token's module. */
export function builderFunction(builders: Record<string, any>, name: string): (...args: unknown[]) => string {
  const [cls, method] = name.split('.')
  const owner = builders[cls]
  if (typeof owner?.[method] !== 'function') throw new Error(`no builder ${name}`)
  return (...args) => owner[method](...args)
}

/**
 * A vector's arguments as a caller passes them: the RTM2 permission set (stored in the vectors as
 * a plain object) is filled through `Permissions.add`, as the generators did.
 */
export function callArgs(name: string, args: unknown[], Permissions: new () => any): unknown[] {
  if (name !== 'RtmTokenBuilder.buildTokenWithPermissions') return args
  const permissions = new Permissions()
  for (const [resource, byPermission] of Object.entries(args[3] as Record<string, Record<string, string[]>>)) {
    for (const [permission, names] of Object.entries(byPermission)) {
      permissions.add(Number(resource), Number(permission), names)
    }
  }
  return [...args.slice(0, 3), permissions, ...args.slice(4)]
}

/** The inflated payload of a 007 token, as hex. */
export function payloadHex(token: string): string {
  return inflateSync(Buffer.from(token.slice(3), 'base64')).toString('hex')
}
