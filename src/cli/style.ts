// ANSI styling that turns itself off when colour is not allowed.

/** Text styles; each is the identity when colour is off. */
export interface Style {
  bold(text: string): string
  dim(text: string): string
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
  cyan(text: string): string
}

const wrap = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`
const same = (text: string) => text

/**
 * A Style: ANSI codes when `enabled`, plain text otherwise.
 *
 * @example
 * ```ts
 * createStyle(false).red('no') // 'no'
 * ```
 */
export function createStyle(enabled: boolean): Style {
  if (!enabled) return { bold: same, dim: same, red: same, green: same, yellow: same, cyan: same }
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  }
}
