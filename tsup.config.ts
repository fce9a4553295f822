import { dirname, resolve } from 'node:path'
import { defineConfig, type Options } from 'tsup'

// token007/server and token007/registry import the library as the package itself ('token007'),
// so that one copy of the library (and of its error classes) is loaded, whichever entry is
// imported first (the server bundles the registry code it uses, which imports it the same way).
const libraryAsPackage: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'library-as-package',
  setup(build) {
    build.onResolve({ filter: /^(\.\.\/)+index\.js$/ }, (args) =>
      /[\\/]src[\\/](server|registry)[\\/]/.test(args.importer) &&
      resolve(dirname(args.importer), args.path) === resolve('src/index.js')
        ? { path: 'token007', external: true }
        : undefined,
    )
  },
}

// ESM keeps its dependencies external. The CJS build bundles @noble/hashes, which ships as ESM
// only (v2), so that require('token007') works on every Node >= 20, including those before
// require(esm) was enabled by default (20.19).
// The configs build in parallel, so none of them cleans dist/ (one could delete another's
// output); the build script empties dist/ first.
export default defineConfig([
  // Unbundled: one module per source file, so that a consumer's bundler drops what it does not
  // use module by module (`sideEffects: false`). Bundled into one file, the `legacy` and `errors`
  // namespaces became objects whose getters kept every builder in a verify-only bundle.
  {
    entry: ['src/**/*.ts', '!src/cli/**', '!src/server/**', '!src/registry/**', '!src/client/**'],
    format: ['esm'],
    bundle: false,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
  },
  {
    entry: { index: 'src/index.ts' },
    format: ['cjs'],
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    noExternal: ['@noble/hashes'],
  },
  // The declarations (index.d.ts and index.d.cts) in one pass of the type checker, not one per
  // format: the two builds above have the same types.
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: { only: true },
    target: 'es2022',
    platform: 'neutral',
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
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    tsconfig: 'tsconfig.cli.json',
    banner: { js: '#!/usr/bin/env node' },
  },
  // token007/registry: its own entry so that the root stays free of the Redis client (loaded only
  // by createRedisRegistry({ url })); the library comes from 'token007' (see libraryAsPackage).
  {
    entry: { registry: 'src/registry/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    external: ['@redis/client'],
    esbuildPlugins: [libraryAsPackage],
  },
])
