// The public types on the common path compile under `strict` without casts (issue 12): a
// compile-time test, run by the TypeScript compiler on test/types/common-path.ts, against the
// sources and against the declarations the package ships (dist/, made by `npm run build`).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import ts from 'typescript'
import { afterAll, expect, it } from 'vitest'

const fixture = join(__dirname, 'types', 'common-path.ts')
const scratch = mkdtempSync(join(tmpdir(), 'token007-types-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** Every diagnostic of a strict compile of `file`, as "file:line message". */
function diagnostics(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: false,
    verbatimModuleSyntax: true,
  })
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${d.file.fileName.slice(d.file.fileName.lastIndexOf('/') + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : ''
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
  })
}

it('test/types/common-path.ts type-checks under strict against the sources; its @ts-expect-error lines stay errors', () => {
  expect(diagnostics(fixture)).toEqual([])
})

it('the same file type-checks against the shipped declarations (dist/index.d.ts)', () => {
  const dist = resolve(__dirname, '..', 'dist', 'index.d.ts')
  expect(existsSync(dist), 'dist/index.d.ts is missing: run `npm run build` first').toBe(true)
  const copy = join(scratch, 'common-path.mts')
  const source = readFileSync(fixture, 'utf8')
  expect(source).toContain("from '../../src/index.js'")
  writeFileSync(
    copy,
    source.replace(
      "from '../../src/index.js'",
      `from ${JSON.stringify(resolve(__dirname, '..', 'dist', 'index.js'))}`,
    ),
  )
  expect(diagnostics(copy)).toEqual([])
})
