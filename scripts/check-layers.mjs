#!/usr/bin/env node
// Fails (exit 1) on an import cycle or an import that points outward. The layers, innermost first:
//
//   0 lib      src/lib/**, and the leaves src/errors.ts and src/types.ts (which import only each
//              other)
//   1 format   src/format/**
//   2 api      src/builders/**, src/legacy/**, src/build.ts, src/builders.ts, src/typed.ts,
//              src/decode.ts, src/verify.ts
//   3 diagnose src/diagnose/** (findings over a decoded token; the root entry exports it)
//   4 root     src/index.ts
//   5 outer    src/cli/**, src/server/**, src/registry/**, src/client/**, site/**
//
// A module may import its own layer or an inner one. The outer ring is stricter: it imports
// src/index.ts, src/format/**, src/diagnose/** or the outer ring itself, and only src/cli/**
// imports src/cli/**.
// Imports are read with TypeScript's own pre-processor (comments and strings are not imports);
// type-only imports count, because a type that points outward is still an outward dependency.
//
// Usage: node scripts/check-layers.mjs [root]   (root defaults to the repository)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

/**
 * Known violations, each to be deleted as soon as the code that needs it is gone. Keep this list
 * short and every entry explained: an entry here is a debt, not a rule.
 * `from -> to` (paths relative to the root, `/`-separated).
 */
const ALLOWED = new Set([
  // The token keeper's compact reader (issue 16) reads the service table's data module, so that
  // the names and ids exist once; the root entry does not export that table.
  'src/client/decode/token007.ts -> src/lib/service-table.ts',
])

const LAYERS = [
  { name: 'lib', rank: 0, match: (p) => p.startsWith('src/lib/') || LEAVES.has(p) },
  { name: 'format', rank: 1, match: (p) => p.startsWith('src/format/') },
  {
    name: 'api',
    rank: 2,
    match: (p) =>
      p.startsWith('src/builders/') ||
      p.startsWith('src/legacy/') ||
      [
        'src/build.ts',
        'src/builders.ts',
        'src/typed.ts',
        'src/decode.ts',
        'src/verify.ts',
      ].includes(p),
  },
  { name: 'diagnose', rank: 3, match: (p) => p.startsWith('src/diagnose/') },
  { name: 'root', rank: 4, match: (p) => p === 'src/index.ts' },
  {
    name: 'outer',
    rank: 5,
    match: (p) => OUTER.some((dir) => p.startsWith(dir)),
  },
]
const LEAVES = new Set(['src/errors.ts', 'src/types.ts'])
const OUTER = ['src/cli/', 'src/server/', 'src/registry/', 'src/client/', 'site/']
const SOURCE = /\.(ts|tsx|mts|js|mjs)$/

function layerOf(path) {
  return LAYERS.find((l) => l.match(path))
}

function walk(dir, out) {
  if (!existsSync(dir)) return out
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue
    const full = join(dir, name)
    if (statSync(full).isDirectory()) walk(full, out)
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(full)
  }
  return out
}

/** The file a relative specifier names, trying the TypeScript sources behind `.js` imports. */
function resolveImport(fromFile, spec) {
  const base = resolve(dirname(fromFile), spec)
  const stem = base.replace(/\.(js|mjs|jsx)$/, '')
  const candidates = [
    base,
    `${stem}.ts`,
    `${stem}.tsx`,
    `${stem}.mts`,
    `${base}.ts`,
    join(base, 'index.ts'),
  ]
  return candidates.find((c) => existsSync(c) && statSync(c).isFile())
}

/**
 * Every violation in the tree under `root`, as readable lines (empty when all is well).
 * @param {string} root
 * @param {Set<string>} [allowed]
 */
export function checkLayers(root, allowed = ALLOWED) {
  const rel = (p) => relative(root, p).split(sep).join('/')
  const files = [...walk(join(root, 'src'), []), ...walk(join(root, 'site'), [])]
  const graph = new Map()
  const problems = []
  const usedAllowances = new Set()

  for (const file of files) {
    const from = rel(file)
    const edges = []
    graph.set(from, edges)
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    for (const { fileName: spec } of importedFiles) {
      if (!spec.startsWith('.')) continue
      const target = resolveImport(file, spec)
      if (!target) {
        problems.push(`${from}: cannot resolve import '${spec}'`)
        continue
      }
      const to = rel(target)
      // package.json and other files outside the layered tree are not part of the layering.
      if (!layerOf(to)) continue
      edges.push(to)
      const key = `${from} -> ${to}`
      const why = outwardReason(from, to)
      if (!why) continue
      if (allowed.has(key)) usedAllowances.add(key)
      else problems.push(`${key}: ${why}`)
    }
  }

  // An allowed import inside a cycle is taken out of the graph: the cycle it closes is tolerated,
  // any other cycle is still found.
  for (const component of stronglyConnected(graph)) {
    const members = new Set(component)
    for (const node of component) {
      for (const to of graph.get(node)) {
        const key = `${node} -> ${to}`
        if (members.has(to) && allowed.has(key)) usedAllowances.add(key)
      }
    }
  }
  const pruned = new Map(
    [...graph].map(([node, edges]) => [
      node,
      edges.filter((to) => !allowed.has(`${node} -> ${to}`)),
    ]),
  )
  for (const component of stronglyConnected(pruned)) {
    const cycle = cycleThrough(pruned, component)
    problems.push(`import cycle: ${[...cycle, cycle[0]].join(' -> ')}`)
  }

  for (const entry of allowed) {
    if (!usedAllowances.has(entry)) {
      problems.push(`${entry}: allowed in scripts/check-layers.mjs but no longer needed; delete it`)
    }
  }
  return problems
}

/** Why the import `from -> to` points outward, or undefined when it is allowed. */
function outwardReason(from, to) {
  const a = layerOf(from)
  const b = layerOf(to)
  if (!a) return undefined
  if (LEAVES.has(from) && !LEAVES.has(to)) {
    return `${from} is a leaf: it imports only the other leaf, not ${to}`
  }
  if (a.name === 'outer') {
    if (to.startsWith('src/cli/') && !from.startsWith('src/cli/')) {
      return 'only the command line imports src/cli/'
    }
    if (b.name === 'outer' || b.name === 'format' || b.name === 'diagnose' || to === 'src/index.ts')
      return undefined
    return `the outer ring imports src/index.ts, src/format/ or src/diagnose/, not ${b.name} (${to})`
  }
  if (b.rank > a.rank) return `${a.name} (layer ${a.rank}) imports ${b.name} (layer ${b.rank})`
  return undefined
}

/** The strongly connected components with more than one module, or one that imports itself. */
function stronglyConnected(graph) {
  let index = 0
  const indices = new Map()
  const low = new Map()
  const stack = []
  const onStack = new Set()
  const components = []

  // Iterative Tarjan, so a deep import chain cannot overflow the call stack.
  for (const start of graph.keys()) {
    if (indices.has(start)) continue
    const work = [[start, 0]]
    while (work.length > 0) {
      const frame = work[work.length - 1]
      const [node, i] = frame
      if (i === 0) {
        indices.set(node, index)
        low.set(node, index)
        index++
        stack.push(node)
        onStack.add(node)
      }
      const edges = graph.get(node) ?? []
      if (i < edges.length) {
        frame[1]++
        const next = edges[i]
        if (!indices.has(next)) work.push([next, 0])
        else if (onStack.has(next)) low.set(node, Math.min(low.get(node), indices.get(next)))
        continue
      }
      work.pop()
      if (work.length > 0) {
        const parent = work[work.length - 1][0]
        low.set(parent, Math.min(low.get(parent), low.get(node)))
      }
      if (low.get(node) === indices.get(node)) {
        const component = []
        let member
        do {
          member = stack.pop()
          onStack.delete(member)
          component.push(member)
        } while (member !== node)
        const selfLoop = (graph.get(node) ?? []).includes(node)
        if (component.length > 1 || selfLoop) components.push(component)
      }
    }
  }
  return components
}

/** One concrete cycle inside a strongly connected component (for a readable message). */
function cycleThrough(graph, component) {
  const members = new Set(component)
  const start = component.slice().sort()[0]
  const path = [start]
  const seen = new Set([start])
  for (;;) {
    const node = path[path.length - 1]
    const next = (graph.get(node) ?? []).filter((n) => members.has(n))
    if (next.includes(start)) return path
    const step = next.find((n) => !seen.has(n)) ?? next[0]
    const at = path.indexOf(step)
    if (at >= 0) return path.slice(at)
    path.push(step)
    seen.add(step)
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'))
  const problems = checkLayers(root)
  if (problems.length > 0) {
    console.error(`check-layers: ${problems.length} problem(s)`)
    for (const p of problems) console.error(`  ${p}`)
    process.exit(1)
  }
  console.log('check-layers: no import cycle, no outward import')
}
