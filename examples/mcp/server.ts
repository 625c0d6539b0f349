/**
 * The host app: the router with its MCP endpoint on (`mcp: true`, `POST /integrations/mcp`), a
 * Notes provider whose two tools are data: `list_notes` (a read) and `add_note` (a write), and a
 * remote MCP server as a provider (`providers.mcp`): its tools are the server's own. Agents
 * authenticate with a key of the router's registry; what each may call is its policy's business.
 */
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { createConnectionsRouter, providers } from 'express-connections'
import Keyv from 'keyv'

export async function startServer(options: { port: number; notesApiUrl: string; weatherMcpUrl: string }) {
  const notes = providers.apiKey({
    id: 'notes',
    name: 'Notes',
    apiBaseUrl: options.notesApiUrl,
    validate: async (key, { timeoutMs }) => {
      const response = await fetch(`${options.notesApiUrl}/v1/me`, {
        headers: { authorization: `Bearer ${key}` },
        signal: AbortSignal.timeout(timeoutMs),
      })
      if (response.status === 401) return false
      const me = (await response.json()) as { id: string; email: string }
      return { accountId: me.id, accountEmail: me.email }
    },
  })
  const router = createConnectionsRouter({
    store: new Keyv(), // in memory: gone on restart, so a key made up for this run is enough
    encryptionKey: randomBytes(32).toString('base64'),
    mcp: true,
    providers: [
      // Takes a static key each connection gives (checked with an MCP `initialize`); an OAuth server
      // needs no `auth` (the default) and no client: the router discovers and registers one.
      providers.mcp({ id: 'weather', name: 'Weather', url: options.weatherMcpUrl, auth: 'bearer' }),
      {
        ...notes,
        tools: [
          {
            slug: 'list_notes',
            displayName: 'List notes',
            description: 'List the notes of the account.',
            inputSchema: { type: 'object', properties: {}, additionalProperties: false },
            request: { method: 'GET', path: '/v1/notes' },
            responseSchema: { type: 'object', properties: { notes: { type: 'array' } } },
            responseFieldMap: { notes: 'notes' },
            annotations: { readOnly: true },
            docsUrl: 'https://notes.example/docs#list',
          },
          {
            slug: 'add_note',
            displayName: 'Add note',
            description: 'Add a note with a title.',
            inputSchema: {
              type: 'object',
              properties: { title: { type: 'string', minLength: 1, maxLength: 200 } },
              required: ['title'],
              additionalProperties: false,
            },
            request: { method: 'POST', path: '/v1/notes', body: { fields: { title: 'title' } } },
            responseSchema: {
              type: 'object',
              properties: { id: { type: 'integer' }, title: { type: 'string' } },
            },
            responseFieldMap: { id: 'id', title: 'title' },
            annotations: { readOnly: false },
            docsUrl: 'https://notes.example/docs#add',
          },
        ],
      },
    ],
    // Stands in for your login: a request without an Authorization header is Ana's browser.
    getOwner: (req) => (req.get('authorization') ? undefined : 'ana'),
    // A person's tool run asks this hook (refused without one); your app decides who may.
    authorize: () => true,
  })
  const app = express()
  app.use('/integrations', router)
  const server = app.listen(options.port)
  await once(server, 'listening')
  return { url: `http://localhost:${(server.address() as AddressInfo).port}`, router }
}
