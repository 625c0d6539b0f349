import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    // express-connections/dev-server and the express-connections-dev-oauth command (oidc-provider: optional peer).
    'dev-server/index': 'src/dev-server/index.ts',
    'dev-server/cli': 'src/dev-server/cli.ts',
    // express-connections/client: browsers and Node, no Node built-ins (test/unit/client-bundle.test.ts).
    'client/index': 'src/client/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // One self-contained file per entry: the main bundle does not change shape because of the dev server.
  splitting: false,
  sourcemap: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
})
