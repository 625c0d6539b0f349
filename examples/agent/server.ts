/**
 * The host app: users sign in (here, a stand-in login), and AI agents authenticate with a key from
 * the router's own agent registry (`POST /integrations/agents`), `Authorization: Bearer ak_…`. What an
 * agent may do with each connection is its policy's business (`POST /integrations/policies`): with no
 * policy, a connection does not exist for it; agents never manage agents, policies or approvals.
 */
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { createConnectionsRouter, providers } from 'express-connections'
import Keyv from 'keyv'

export interface ServerOptions {
  port: number
  /** The Notes API the `notes` provider calls (the stand-in in run.ts). */
  notesApiUrl: string
}

export async function startServer(options: ServerOptions) {
  const router = createConnectionsRouter({
    store: new Keyv(), // in memory: gone on restart, so a key made up for this run is enough
    encryptionKey: randomBytes(32).toString('base64'),
    providers: [
      providers.apiKey({
        id: 'notes',
        name: 'Notes',
        apiBaseUrl: options.notesApiUrl, // the proxy sends the key as `Authorization: Bearer <key>`
        // The key is tried on the API's "who am I" endpoint before it is stored.
        validate: async (key, { timeoutMs }) => {
          const response = await fetch(`${options.notesApiUrl}/v1/me`, {
            headers: { authorization: `Bearer ${key}` },
            signal: AbortSignal.timeout(timeoutMs),
          })
          if (response.status === 401) return false
          if (!response.ok) throw new Error(`Notes answered ${response.status}`)
          const me = (await response.json()) as { id: string; email: string }
          return { accountId: me.id, accountEmail: me.email }
        },
      }),
    ],
    // Stands in for your login (a session cookie): a request without an Authorization header is Ana's
    // browser. A request with an agent key never gets here: the router knows its owner from the key.
    getOwner: (req) => (req.get('authorization') ? undefined : 'ana'),
  })

  const app = express()
  app.use('/integrations', router)
  const server = app.listen(options.port)
  await once(server, 'listening')
  return { url: `http://localhost:${(server.address() as AddressInfo).port}`, router }
}
