#!/usr/bin/env node
/**
 * `npx express-connections-dev-oauth`: a local OAuth 2.0 server for a first connection without internet
 * or an account anywhere. Prints the `providers.oauth2({ … })` entry to paste into the router's options.
 */
import { parseArgs } from 'node:util'
import { DEV_CLIENT, MISSING_OIDC_PROVIDER, startOAuthServer } from './oauth-server.js'
import { providerSnippet } from './snippet.js'

const USAGE = `Usage: express-connections-dev-oauth [--port 3001] [--host 127.0.0.1]
  [--redirect-uri ${DEV_CLIENT.redirectUri}]... [--client-id ${DEV_CLIENT.clientId}]
  [--client-secret ${DEV_CLIENT.clientSecret}]
A local OAuth 2.0 / OpenID Connect server (oidc-provider) for development: any login name, any password.`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '3001' },
      host: { type: 'string', default: '127.0.0.1' },
      'redirect-uri': { type: 'string', multiple: true },
      'client-id': { type: 'string', default: DEV_CLIENT.clientId },
      'client-secret': { type: 'string', default: DEV_CLIENT.clientSecret },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: not a port: ${values.port}`)
  const redirectUris = values['redirect-uri'] ?? [DEV_CLIENT.redirectUri]
  const server = await startOAuthServer({
    port,
    host: values.host,
    clients: [{ clientId: values['client-id'], clientSecret: values['client-secret'], redirectUris }],
  })
  console.log(`Local OAuth server (development only) at ${server.issuer}
Sign in there with any name and any password. It keeps everything in memory.

Accepted redirect URIs (your app's <mount>/callback/<id>; add more with --redirect-uri):
${redirectUris.map((uri) => `  ${uri}`).join('\n')}

Paste into createConnectionsRouter({ providers: [ … ] }):
${providerSnippet(server)}
`)
  const stop = () => {
    server.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error)
  console.error(message === MISSING_OIDC_PROVIDER ? message : `express-connections-dev-oauth: ${message}`)
  if (!(error instanceof Error) || message !== MISSING_OIDC_PROVIDER) console.error(USAGE)
  process.exit(1)
})
