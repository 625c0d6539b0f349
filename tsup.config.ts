import { defineConfig } from 'tsup'

const library = {
  format: ['esm', 'cjs'] as const,
  dts: true,
  // One self-contained file per entry: the main bundle does not change shape because of the dev server.
  splitting: false,
  sourcemap: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
}

export default defineConfig([
  {
    ...library,
    format: [...library.format],
    entry: {
      index: 'src/index.ts',
      // express-connections/dev-server and the express-connections-dev-oauth command (oidc-provider: optional peer).
      'dev-server/index': 'src/dev-server/index.ts',
      'dev-server/cli': 'src/dev-server/cli.ts',
      // express-connections/client: browsers and Node, no Node built-ins (test/unit/client-bundle.test.ts).
      'client/index': 'src/client/index.ts',
    },
    // No clean here: tsup's clean (also its .d.ts clean) would delete the other configs' outputs,
    // which build at the same time. `npm run build` empties dist/ first.
    clean: false,
  },
  {
    // express-connections/elements, for bundlers: ESM, lit left to the app (a peer), so one copy of it.
    entry: { 'elements/index': 'src/elements/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'browser',
    tsconfig: 'tsconfig.elements.json',
    external: ['lit', /^lit\//],
  },
  {
    // The router's /ui.js: one ESM file with lit inside, for pages without a bundler.
    entry: { ui: 'src/elements/ui.ts' },
    format: ['esm'],
    sourcemap: false,
    minify: true,
    target: 'es2022',
    platform: 'browser',
    tsconfig: 'tsconfig.elements.json',
    noExternal: [/.*/],
  },
])
