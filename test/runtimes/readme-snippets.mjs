// The README's code, checked as a user meets it: against the packed tarball installed in a
// consumer project. Every ```ts block is compiled with `tsc --strict` under module resolution
// `nodenext` and `bundler`; every ```js block runs under Node (as CommonJS when its first line says
// "CommonJS", else as an ES module). consumer-types.ts, a file of the typings users rely on, is
// compiled the same way. Nothing here imports from src/: only what `npm install` gives.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Public demo credentials (Agora refuses tokens made with them); the js blocks run on these. */
const DEMO = {
  appId: '00000000000000000000000000000000',
  appCertificate: 'ffffffffffffffffffffffffffffffff',
}

/**
 * The fenced blocks of a Markdown text with their language and the line their code starts on.
 * @returns {{ lang: string, code: string, line: number }[]}
 */
export function codeBlocks(markdown) {
  const blocks = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i])
    if (!open) continue
    const start = i + 1
    let end = start
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++
    blocks.push({ lang: open[1], code: lines.slice(start, end).join('\n'), line: start + 1 })
    i = end
  }
  return blocks
}

function tsconfig(mode, files) {
  const module = mode === 'nodenext' ? 'nodenext' : 'esnext'
  return {
    compilerOptions: {
      target: 'es2022',
      module,
      moduleResolution: mode,
      lib: ['es2022', 'dom'],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: ['node'],
      typeRoots: [],
    },
    files,
  }
}

function tsc(root, dir, mode, files) {
  const config = join(dir, `tsconfig.${mode}.json`)
  const options = tsconfig(mode, files)
  options.compilerOptions.typeRoots = [join(root, 'node_modules', '@types')]
  writeFileSync(config, JSON.stringify(options, null, 2))
  try {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config],
      {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
  } catch (error) {
    throw new Error(`tsc (${mode}) failed:\n${(error.stdout ?? '') + (error.stderr ?? '')}`.trim())
  }
}

/**
 * Compiles and runs the README's blocks in `project` (a consumer with the tarball installed).
 * @returns {string} a one-line summary
 */
export function checkReadme(root, project) {
  const dir = join(project, 'readme')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }))
  const blocks = codeBlocks(readFileSync(join(root, 'README.md'), 'utf8'))
  const tsFiles = []
  const runs = []
  blocks.forEach((block, i) => {
    const name = `readme-${String(i).padStart(2, '0')}-line-${block.line}`
    if (block.lang === 'ts' || block.lang === 'typescript') {
      // `export {}` keeps each block a module of its own, so their names cannot collide.
      writeFileSync(join(dir, `${name}.ts`), `${block.code}\nexport {}\n`)
      tsFiles.push(`${name}.ts`)
    } else if (block.lang === 'js' || block.lang === 'javascript') {
      const commonJs = /CommonJS/.test(block.code.split('\n')[0])
      const file = `${name}.${commonJs ? 'cjs' : 'mjs'}`
      const prelude = `const appId = ${JSON.stringify(DEMO.appId)}, appCertificate = ${JSON.stringify(DEMO.appCertificate)};`
      writeFileSync(join(dir, file), `${prelude}\n${block.code}\n`)
      runs.push(file)
    }
  })
  copyFileSync(join(root, 'test', 'runtimes', 'consumer-types.ts'), join(dir, 'consumer-types.ts'))
  const typed = [...tsFiles, 'consumer-types.ts']
  tsc(root, dir, 'nodenext', typed)
  tsc(root, dir, 'bundler', typed)
  for (const file of runs) {
    try {
      execFileSync(process.execPath, [file], {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    } catch (error) {
      throw new Error(
        `README block ${file} failed:\n${(error.stdout ?? '') + (error.stderr ?? '')}`.trim(),
      )
    }
  }
  if (tsFiles.length === 0)
    throw new Error('README.md has no ts blocks: the check found nothing to compile')
  return `${tsFiles.length} ts blocks + consumer-types.ts compiled (nodenext, bundler; strict), ${runs.length} js blocks ran`
}
