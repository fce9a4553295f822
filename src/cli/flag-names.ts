// Library messages name options (`channelName: expected …`); on the command line the user typed
// flags (`--channel`), so InvalidArgument messages are re-worded before they are shown.
import { InvalidArgument } from '../index.js'
import { UsageError } from './usage.js'

/** Option name (as the library says it) → flag (as the user typed it). */
export type FlagNames = Readonly<Record<string, string>>

const HEAD = /^(?:options\.(?:require(?:\[\d+\])?\.)?)?([A-Za-z][A-Za-z0-9]*(?:\(\))?)([.[]?)/

/**
 * Runs `fn`; an InvalidArgument it throws becomes a UsageError whose message starts with the
 * flag instead of the option (`--channel: expected …`). Other errors pass through.
 */
export function withFlagNames<T>(names: FlagNames, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (!(err instanceof InvalidArgument)) throw err
    throw new UsageError(renameHead(err.message, names), { cause: err })
  }
}

function renameHead(message: string, names: FlagNames): string {
  const match = HEAD.exec(message)
  const flag = match ? names[match[1]] : undefined
  if (match === null || flag === undefined) return message
  // `privilegeExpiresIn.joinChannel: …` → `--privilege-expires-in joinChannel: …`
  const joint = match[2] === '.' ? ' ' : match[2]
  return flag + joint + message.slice(match[0].length)
}
