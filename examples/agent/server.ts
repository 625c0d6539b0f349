/**
 * The host app: users sign in (here, a stand-in login), and AI agents authenticate with an agent key
 * of the app's own, `Authorization: Bearer <agent key>`. An agent acts for the user who owns it, may
 * take tokens and use the proxy, and nothing else; the user's browser may do everything else.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import express, { type Request } from 'express'
import { createConnectionsRouter, providers } from 'express-connections'
import Keyv from 'keyv'

export interface Agent {
  name: string
  /** The user the agent acts for. */
  owner: string
  key: string
}

export interface ServerOptions {
  port: number
  agents: Agent[]
  /** The Notes API the `notes` provider calls (the stand-in in run.ts). */
  notesApiUrl: string
}

const sha256 = (value: string) => createHash('sha256').update(value).digest()

export async function startServer(options: ServerOptions) {
  // Keep only hashes of the agent keys (in production: in your database, next to each agent).
  const agents = options.agents.map(({ key, ...agent }) => ({ ...agent, keyHash: sha256(key) }))

  /** The agent whose key the request presents, if any. */
  const agentOf = (req: Request) => {
    const key = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1]
    if (key === undefined) return undefined
    // Equal-length digests compared in constant time: the answer's timing tells nothing about a key.
    const presented = sha256(key)
    return agents.find((agent) => timingSafeEqual(agent.keyHash, presented))
  }

  // Stands in for your login (a session cookie): a request without an Authorization header is Ana's
  // browser.
  const signedInUser = (req: Request) => (req.get('authorization') ? undefined : 'ana')

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
    getOwner: (req) => agentOf(req)?.owner ?? signedInUser(req),
    getActor: (req, owner) => {
      const agent = agentOf(req)
      return agent ? `agent:${agent.name}` : owner
    },
    authorize: ({ req, action }) => {
      const isAgent = agentOf(req) !== undefined
      // Raw tokens and calls made as the user: agents only. The rest (connect, list, revoke, …): the
      // user's own browser only. `admin` (custom providers) stays refused.
      if (action === 'token' || action === 'proxy') return isAgent
      return !isAgent && action !== 'admin'
    },
  })

  const app = express()
  app.use('/integrations', router)
  const server = app.listen(options.port)
  await once(server, 'listening')
  return { url: `http://localhost:${(server.address() as AddressInfo).port}`, router }
}
