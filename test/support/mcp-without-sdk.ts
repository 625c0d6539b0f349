/**
 * An app with `mcp: true` in a process where `@modelcontextprotocol/sdk` cannot be found, as in an
 * app that never installed the optional peer (a resolve hook refuses it before the router is
 * loaded). Started by test/support/instances.ts `startCluster(1, config, script)`; prints its port.
 */
import { register } from 'node:module'
import type { AddressInfo } from 'node:net'

const hook = `export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@modelcontextprotocol/sdk')) {
    throw Object.assign(new Error('Cannot find package ' + specifier), { code: 'ERR_MODULE_NOT_FOUND' })
  }
  return next(specifier, context)
}`
register(`data:text/javascript,${encodeURIComponent(hook)}`)

const { default: express } = await import('express')
const { default: Keyv } = await import('keyv')
const { createConnectionsRouter, providers } = await import('../../src/index.js')
const { encryptionKey } = JSON.parse(process.env.INSTANCE_CONFIG ?? '{}') as { encryptionKey: string }

const app = express()
app.use((req, _res, next) => {
  const user = req.get('x-user')
  if (user) Object.assign(req, { user: { id: user } })
  next()
})
app.use(
  '/integrations',
  createConnectionsRouter({
    store: new Keyv(),
    encryptionKey,
    mcp: true,
    providers: [providers.apiKey({ id: 'vendor', validate: async () => ({ accountId: 'acct-1' }) })],
    logger: {
      warn: (message) => process.stderr.write(`warn ${message}\n`),
      error: (message) => process.stderr.write(`error ${message}\n`),
    },
  }),
)
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
})
process.on('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
  process.exit(0)
})
