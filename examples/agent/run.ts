/**
 * One command for the whole story: the stand-in Notes API, the host app, Ana connecting her Notes
 * key, the app's server code using it, and one run of the agent process. Then the app stays up.
 */
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { Connection } from 'express-connections'
import { ANA_NOTES_KEY, startNotesApi } from './notes-api.js'
import { startServer } from './server.js'

const notesApiUrl = await startNotesApi()
// The agent's key is a secret like any other: made up for this run unless you set AGENT_KEY.
const agentKey = process.env.AGENT_KEY ?? randomBytes(32).toString('base64url')
const app = await startServer({
  port: Number(process.env.PORT ?? 3000),
  notesApiUrl,
  agents: [{ name: 'notes-agent', owner: 'ana', key: agentKey }],
})
console.log(`App listening on ${app.url}; the stand-in Notes API on ${notesApiUrl}`)

// 1. Ana, signed in, pastes her Notes API key into the app's settings page, which calls this.
const connected = await fetch(`${app.url}/integrations/connections`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ provider: 'notes', credentials: { apiKey: ANA_NOTES_KEY } }),
})
if (connected.status !== 201) throw new Error(`Connecting answered ${connected.status}`)
const { data: connection } = (await connected.json()) as { data: Connection }
console.log(`1. Ana connected her Notes account ${connection.accountEmail}: connection ${connection.id}`)

// 2. The app's own server code (a job, a route handler) uses Ana's connection directly, by owner and
//    provider id, without HTTP.
const { tokenType } = await app.router.connections.getAccessToken('ana', 'notes', { actor: 'digest-job' })
const response = await app.router.connections.fetch('ana', 'notes', '/v1/notes', { actor: 'digest-job' })
const { notes } = (await response.json()) as { notes: unknown[] }
console.log(`2. Server code: took a ${tokenType} token; read ${notes.length} notes with connections.fetch`)

// 3. The agent, with its agent key and the id of the connection it is to work with.
console.log('3. The agent runs:')
const agent = fork(fileURLToPath(new URL('./agent.ts', import.meta.url)), {
  env: {
    ...process.env,
    APP_URL: app.url,
    AGENT_KEY: agentKey,
    CONNECTION_ID: connection.id,
    NOTES_API_URL: notesApiUrl,
  },
})
const agentExit = await new Promise<number | null>((resolve) => agent.on('exit', resolve))
if (agentExit !== 0) throw new Error(`The agent failed (exit code ${agentExit})`)

// 4. A raw token is for agents only: Ana's browser asking for one is refused.
const refused = await fetch(`${app.url}/integrations/connections/${connection.id}/token`)
console.log(`4. Ana's browser asking for the token: ${refused.status}`)

// 5. The audit trail names who acted: Ana, the server code, the agent.
const audit = await app.router.connections.audit('ana', { connectionId: connection.id })
console.log('5. Audit trail, oldest first:')
for (const entry of audit.entries.reverse()) {
  console.log(`   ${entry.actor.padEnd(18)} ${entry.action.padEnd(8)} ${entry.detail ?? ''}`.trimEnd())
}

console.log(`Done. Still up: curl ${app.url}/integrations/connections (as Ana). Ctrl-C to stop.`)
