// The layer check on small trees written for each case, and on the repository itself.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { checkLayers } from '../../scripts/check-layers.mjs'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const roots: string[] = []

/** A throw-away tree: `files` maps a path to the modules it imports (relative specifiers). */
function tree(files: Record<string, string[]>): string {
  const root = mkdtempSync(join(tmpdir(), 'layers-'))
  roots.push(root)
  for (const [path, imports] of Object.entries(files)) {
    const full = join(root, path)
    mkdirSync(dirname(full), { recursive: true })
    const lines = imports.map((spec, i) => `import { x${i} } from '${spec}'`)
    writeFileSync(full, `${lines.join('\n')}\nexport const x = 1\n`)
  }
  return root
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

describe('check-layers', () => {
  it('accepts imports that point inward or stay in their layer', () => {
    const root = tree({
      'src/types.ts': [],
      'src/errors.ts': ['./types.js'],
      'src/lib/a.ts': ['../errors.js', './b.js'],
      'src/lib/b.ts': ['../types.js'],
      'src/format/007/parse.ts': ['../../lib/a.js'],
      'src/decode.ts': ['./format/007/parse.js', './lib/b.js'],
      'src/index.ts': ['./decode.js', './errors.js'],
      'src/cli/main.ts': ['../index.js', '../format/007/parse.js', './io.js'],
      'src/cli/io.ts': [],
      'src/server/app.ts': ['../index.js', '../registry/store.js'],
      'src/registry/store.ts': ['../format/007/parse.js'],
    })
    expect(checkLayers(root, new Set())).toEqual([])
  })

  it.each([
    ['lib imports format', { 'src/lib/a.ts': ['../format/f.js'], 'src/format/f.ts': [] }],
    ['format imports decode', { 'src/format/f.ts': ['../decode.js'], 'src/decode.ts': [] }],
    ['decode imports index', { 'src/decode.ts': ['./index.js'], 'src/index.ts': [] }],
    ['index imports the CLI', { 'src/index.ts': ['./cli/main.js'], 'src/cli/main.ts': [] }],
    ['a leaf imports lib', { 'src/errors.ts': ['./lib/a.js'], 'src/lib/a.ts': [] }],
    ['the CLI reaches into lib', { 'src/cli/main.ts': ['../lib/a.js'], 'src/lib/a.ts': [] }],
    ['the server imports decode', { 'src/server/s.ts': ['../decode.js'], 'src/decode.ts': [] }],
    ['the server imports the CLI', { 'src/server/s.ts': ['../cli/io.js'], 'src/cli/io.ts': [] }],
  ])('refuses an outward import: %s', (_name, files) => {
    const problems = checkLayers(tree(files), new Set())
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/ -> /)
  })

  it('finds a cycle inside one layer and names its path', () => {
    const root = tree({
      'src/lib/a.ts': ['./b.js'],
      'src/lib/b.ts': ['./c.js'],
      'src/lib/c.ts': ['./a.js'],
    })
    expect(checkLayers(root, new Set())).toEqual([
      'import cycle: src/lib/a.ts -> src/lib/b.ts -> src/lib/c.ts -> src/lib/a.ts',
    ])
  })

  it('reads type-only and re-export imports, and ignores imports in comments', () => {
    const root = mkdtempSync(join(tmpdir(), 'layers-'))
    roots.push(root)
    mkdirSync(join(root, 'src/lib'), { recursive: true })
    writeFileSync(
      join(root, 'src/lib/a.ts'),
      "import type { T } from './b.js'\nexport const a = 1\n",
    )
    writeFileSync(
      join(root, 'src/lib/b.ts'),
      "// import { z } from '../index.js'\nexport * from './a.js'\nexport type T = 1\n",
    )
    writeFileSync(join(root, 'src/index.ts'), 'export {}\n')
    expect(checkLayers(root, new Set())).toEqual([
      'import cycle: src/lib/a.ts -> src/lib/b.ts -> src/lib/a.ts',
    ])
  })

  it('tolerates an allowed import, and reports an allowance nothing needs any more', () => {
    const root = tree({ 'src/lib/a.ts': ['./b.js'], 'src/lib/b.ts': ['./a.js'] })
    expect(checkLayers(root, new Set(['src/lib/b.ts -> src/lib/a.ts']))).toEqual([])
    expect(checkLayers(root, new Set(['src/lib/a.ts -> src/lib/c.ts']))).toEqual([
      'import cycle: src/lib/a.ts -> src/lib/b.ts -> src/lib/a.ts',
      'src/lib/a.ts -> src/lib/c.ts: allowed in scripts/check-layers.mjs but no longer needed; delete it',
    ])
  })

  it('reports an import it cannot resolve', () => {
    const root = tree({ 'src/lib/a.ts': ['./missing.js'] })
    expect(checkLayers(root, new Set())).toEqual([
      "src/lib/a.ts: cannot resolve import './missing.js'",
    ])
  })

  it('passes on this repository', () => {
    expect(checkLayers(repo)).toEqual([])
  })
})
