// The built library needs nothing but Web-standard APIs: neither build reachable from the package
// root (dist/index.js and the modules it imports, dist/index.cjs) imports a Node built-in or
// refers to a Node-only global.
// The bundles are parsed, not grepped, so that a method named `process` or a variable named
// `processed` is not mistaken for the global.
import { existsSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = join(__dirname, '..')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const BUNDLES = ['dist/index.js', 'dist/index.cjs']
// Globals that exist only on Node (and runtimes imitating it).
const NODE_GLOBALS = new Set([
  'process',
  'Buffer',
  'global',
  '__dirname',
  '__filename',
  'setImmediate',
])

interface Scan {
  modules: string[]
  nodeGlobals: string[]
}

/** The modules a script loads and the Node-only globals it refers to. */
function scan(file: string, text: string): Scan {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS)
  const modules: string[] = []
  const nodeGlobals: string[] = []
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      modules.push((node.moduleSpecifier as ts.StringLiteral).text)
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression
      const isLoad =
        callee.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(callee) && callee.text === 'require')
      const [arg] = node.arguments
      if (isLoad)
        modules.push(
          arg && ts.isStringLiteralLike(arg) ? arg.text : `<computed: ${arg?.getText()}>`,
        )
    } else if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text) && isReference(node)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart())
      nodeGlobals.push(`${node.text} (line ${line + 1})`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return { modules, nodeGlobals }
}

/** False where an identifier is a property or member name rather than a variable reference. */
function isReference(node: ts.Identifier): boolean {
  const parent = node.parent
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isGetAccessorDeclaration(parent) ||
      ts.isSetAccessorDeclaration(parent)) &&
    parent.name === node
  ) {
    return false
  }
  return true
}

/** `@noble/hashes/hmac.js` → `@noble/hashes`; `pako` → `pako`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(packageName(specifier))

/** Resolves an import of an installed dependency the way an ESM runtime does (`import` condition). */
function resolveImport(specifier: string, from: string): string {
  if (specifier.startsWith('.')) return resolve(dirname(from), specifier)
  const name = packageName(specifier)
  const dir = join(ROOT, 'node_modules', name)
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const subpath = '.' + specifier.slice(name.length)
  let target =
    manifest.exports?.[subpath] ??
    (subpath === '.' ? (manifest.module ?? manifest.main) : undefined)
  while (target && typeof target === 'object') target = target.import ?? target.default
  if (typeof target !== 'string') throw new Error(`cannot resolve ${specifier} from ${from}`)
  return join(dir, target)
}

/**
 * What the package's own code reachable from `entry` loads: the ESM build is one module per
 * source file, so its relative imports are followed and the dependencies and Node globals of every
 * file are gathered (each global is reported with the file that uses it).
 */
function ownCode(entry: string): Scan {
  const modules = new Set<string>()
  const nodeGlobals: string[] = []
  const seen = new Set<string>()
  const pending = [entry]
  while (pending.length > 0) {
    const file = pending.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    const found = scan(file, readFileSync(file, 'utf8'))
    for (const m of found.modules) {
      if (m.startsWith('.')) pending.push(resolve(dirname(file), m))
      else modules.add(m)
    }
    nodeGlobals.push(...found.nodeGlobals.map((g) => `${g} (${file.slice(ROOT.length + 1)})`))
  }
  return { modules: [...modules], nodeGlobals }
}

/** Every dependency file the ESM build loads, transitively, with what each one loads. */
function dependencyGraph(entry: string): Map<string, Scan> {
  const seen = new Map<string, Scan>()
  const pending = scan(entry, readFileSync(entry, 'utf8')).modules.map((m) =>
    resolveImport(m, entry),
  )
  while (pending.length > 0) {
    const file = pending.pop()!
    if (seen.has(file)) continue
    const found = scan(file, readFileSync(file, 'utf8'))
    seen.set(file, found)
    pending.push(...found.modules.filter((m) => !isBuiltin(m)).map((m) => resolveImport(m, file)))
  }
  return seen
}

describe('the library uses only Web-standard APIs', () => {
  it('is type-checked without Node types (tsconfig "types": [])', () => {
    const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile)
    expect(config.compilerOptions.types).toEqual([])
    expect(config.compilerOptions.lib.map((l: string) => l.toLowerCase())).not.toContain('node')
  })

  describe.each(BUNDLES)('%s', (file) => {
    if (!existsSync(join(ROOT, file))) {
      it('exists (run npm run build first)', () => expect.fail(`${file} is missing`))
      return
    }
    const { modules, nodeGlobals } = ownCode(join(ROOT, file))

    it('loads no Node built-in module', () => {
      expect(modules.filter(isBuiltin)).toEqual([])
    })

    it('loads only the declared dependencies', () => {
      const declared = Object.keys(pkg.dependencies ?? {})
      expect(modules.filter((m) => !declared.includes(packageName(m)))).toEqual([])
    })

    it('refers to no Node-only global (process, Buffer, global, __dirname, __filename, setImmediate)', () => {
      expect(nodeGlobals).toEqual([])
    })
  })

  it('and so do the dependencies the ESM build loads (pako, @noble/hashes)', () => {
    const graph = dependencyGraph(join(ROOT, 'dist/index.js'))
    expect(graph.size).toBeGreaterThan(0)
    for (const [file, { modules, nodeGlobals }] of graph) {
      expect({ file, builtins: modules.filter(isBuiltin), nodeGlobals }).toEqual({
        file,
        builtins: [],
        nodeGlobals: [],
      })
    }
  })

  it('the scan finds each kind of reference and ignores the false friends', () => {
    const probe = [
      "import { x } from 'node:crypto'",
      "const z = require('zlib')",
      "const p = await import('pako')",
      'export const a = process.env.A, b = Buffer.from([1]), c = { process: 1, Buffer }',
      'class K { process() {} }',
      'let processed = new K().process()',
    ].join('\n')
    const { modules, nodeGlobals } = scan('probe.mjs', probe)
    expect(modules).toEqual(['node:crypto', 'zlib', 'pako'])
    expect(modules.map(isBuiltin)).toEqual([true, true, false])
    expect(nodeGlobals).toEqual(['process (line 4)', 'Buffer (line 4)', 'Buffer (line 4)'])
  })
})
