import { defineConfig, type Options } from 'tsup'

// token007/server imports the library as the package itself ('token007'), so that one copy of
// the library (and of its error classes) is loaded, whichever entry is imported first.
const libraryAsPackage: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'library-as-package',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) =>
      args.importer.includes('/src/server/') ? { path: 'token007', external: true } : undefined,
    )
  },
}

// ESM keeps its dependencies external. The CJS build bundles @noble/hashes, which ships as ESM
// only (v2), so that require('token007') works on every Node >= 20, including those before
// require(esm) was enabled by default (20.19).
// The configs build in parallel, so none of them cleans dist/ (one could delete another's
// output); the build script empties dist/ first.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
  },
  {
    entry: { index: 'src/index.ts' },
    format: ['cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    noExternal: ['@noble/hashes'],
  },
  // token007/client: the token keeper. Its own self-contained build from the root entry,
  // tree-shaken by Rollup (treeshake) down to the decoder: no builder, no signing code
  // (test/client/bundle.test.ts and the size check prove it). With pako bundled, Rollup drops it
  // whole: the decoder never deflates, but esbuild alone keeps pako's module-level code, and an
  // external pako would stay an import that every consumer's bundler keeps too.
  {
    entry: { client: 'src/client/index.ts' },
    format: ['esm', 'cjs'],
    treeshake: true,
    noExternal: ['pako'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
  },
  // token007/server, ESM with its dependencies external, and CJS with jose bundled in (jose 6
  // ships as ESM only, like @noble/hashes above).
  {
    entry: { server: 'src/server/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    esbuildPlugins: [libraryAsPackage],
  },
  {
    entry: { server: 'src/server/index.ts' },
    format: ['cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    noExternal: ['jose'],
    esbuildPlugins: [libraryAsPackage],
  },
  // The token007 command line: Node only, ESM, the library bundled in from the sources so that
  // it never depends on the two builds above; pako and @noble/hashes stay dependencies.
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    tsconfig: 'tsconfig.cli.json',
    banner: { js: '#!/usr/bin/env node' },
  },
])
