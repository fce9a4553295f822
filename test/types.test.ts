// The public types on the common path compile under `strict` without casts (issue 12): a
// compile-time test, run by the TypeScript compiler on test/types/common-path.ts.
import { join } from 'node:path'
import ts from 'typescript'
import { expect, it } from 'vitest'

it('test/types/common-path.ts type-checks under strict, and its @ts-expect-error lines stay errors', () => {
  const file = join(__dirname, 'types', 'common-path.ts')
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
    verbatimModuleSyntax: true,
  })
  const messages = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${d.file.fileName.slice(d.file.fileName.lastIndexOf('/') + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : ''
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
  })
  expect(messages).toEqual([])
})
