import { defineConfig } from 'tsup'

// ESM keeps its dependencies external. The CJS build bundles @noble/hashes, which ships as ESM
// only (v2), so that require('token007') works on every Node >= 20, including those before
// require(esm) was enabled by default (20.19).
// The configs build in parallel, so none of them cleans dist/ (one could delete another's
// output); the build script empties dist/ first.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
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
])
