/**
 * One command for the whole story: the stand-in Notes API, the host app, Ana connecting her Notes
 * key, making an agent and giving it a read-only policy on that connection, the app's server code
 * using the connection, and one run of the agent process. Then the app stays up.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Connection } from 'express-connections'
import { ANA_NOTES_KEY, startNotesApi } from './notes-api.js'
import { startServer } from './server.js'

const notesApiUrl = await startNotesApi()
const app = await startServer({ port: Number(process.env.PORT ?? 3000), notesApiUrl })
console.log(`App listening on ${app.url}; the stand-in Notes API on ${notesApiUrl}`)

/** A call from Ana's signed-in browser (the app's settings page). */
async function asAna<T>(method: string, path: string, body?: object): Promise<T> {
  const response = await fetch(`${app.url}/integrations${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`)
  return ((await response.json()) as { data: T }).data
}

// 1. Ana pastes her Notes API key into the app's settings page.
const connection = await asAna<Connection>('POST', '/connections', {
  provider: 'notes',
  credentials: { apiKey: ANA_NOTES_KEY },
})
console.log(`1. Ana connected her Notes account ${connection.accountEmail}: connection ${connection.id}`)

// 2. She makes an agent: its key is in this answer only (hand it to the agent; it is never printed).
const { agent, key } = await asAna<{ agent: { id: string; name: string }; key: string }>('POST', '/agents', {
  name: 'notes-agent',
})
console.log(`2. Ana made the agent ${agent.name}: ${agent.id}`)

// 3. And lets it read her notes, nothing else: read-only, one endpoint, through the proxy only.
const rules = {
  defaultMode: 'read_only',
  allowedModels: ['B'],
  allowlists: [{ method: 'GET', path: '/v1/notes' }],
}
await asAna('POST', '/policies', { connectionId: connection.id, agentId: agent.id, ...rules })
console.log('3. Ana gave it a policy on the connection: read-only, GET /v1/notes only, through the proxy')

// 4. The app's own server code (a job, a route handler) uses Ana's connection directly, by owner and
//    provider id, without HTTP: policies bind agents, not your server code.
const response = await app.router.connections.fetch('ana', 'notes', '/v1/notes', { actor: 'digest-job' })
const { notes } = (await response.json()) as { notes: unknown[] }
console.log(`4. Server code: read ${notes.length} notes with connections.fetch`)

// 5. The agent, with its key and the id of the connection it is to work with.
console.log('5. The agent runs:')
const child = fork(fileURLToPath(new URL('./agent.ts', import.meta.url)), {
  env: { ...process.env, APP_URL: app.url, AGENT_KEY: key, CONNECTION_ID: connection.id },
})
const agentExit = await new Promise<number | null>((resolve) => child.on('exit', resolve))
if (agentExit !== 0) throw new Error(`The agent failed (exit code ${agentExit})`)

// 6. The audit trail names who acted, and what the policy refused.
const audit = await app.router.connections.audit('ana', { connectionId: connection.id })
console.log('6. Audit trail, oldest first:')
for (const entry of audit.entries.reverse()) {
  const actor = entry.actor === `agent:${agent.id}` ? agent.name : entry.actor
  console.log(`   ${actor.padEnd(12)} ${entry.action.padEnd(8)} ${entry.detail ?? ''}`.trimEnd())
}

console.log(`Done. Still up: curl ${app.url}/integrations/connections (as Ana). Ctrl-C to stop.`)
