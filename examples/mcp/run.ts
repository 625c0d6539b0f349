/**
 * One command for the whole story: the stand-in Notes API, the host app with `/mcp` on, Ana
 * connecting her Notes key, making an agent and giving it a policy (writes need her approval), and
 * one run of the agent over MCP. Then the app stays up.
 */
import type { Connection } from 'express-connections'
import { runAgent } from './agent.js'
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

const connection = await asAna<Connection>('POST', '/connections', {
  provider: 'notes',
  credentials: { apiKey: ANA_NOTES_KEY },
})
console.log(`1. Ana connected her Notes account ${connection.accountEmail}`)
const { agent, key } = await asAna<{ agent: { id: string; name: string }; key: string }>('POST', '/agents', {
  name: 'notes-agent',
})
await asAna('POST', '/policies', {
  connectionId: connection.id,
  agentId: agent.id,
  defaultMode: 'read_write',
  stepUpApproval: 'risk_based', // reads go, writes wait for Ana
})
console.log(`2. Ana made the agent ${agent.name} and let it read, and write with her approval`)

console.log(`3. The agent connects to ${app.url}/integrations/mcp:`)
await runAgent({
  mcpUrl: `${app.url}/integrations/mcp`,
  key,
  // In your app the `approval.requested` event tells a person, who approves in your UI.
  approved: async (approvalId) => {
    await asAna('POST', `/approvals/${approvalId}/approve`)
    console.log(`   Ana approved ${approvalId}`)
  },
})

console.log(`Done. Still up: POST ${app.url}/integrations/mcp with an agent key. Ctrl-C to stop.`)
