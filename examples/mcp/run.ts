/**
 * One command for MCP both ways. A remote MCP server as a connection: Ana connects the stand-in
 * Weather MCP server with her key, the router syncs its tools and she runs one over HTTP. The
 * router's own `/mcp` for agents: she connects her Notes key, makes an agent and gives it policies
 * on both connections (Notes writes need her approval), and the agent runs once over MCP, the
 * Weather server's tool among its tools. Then the app stays up.
 */
import type { Connection } from 'express-connections'
import { runAgent } from './agent.js'
import { ANA_NOTES_KEY, startNotesApi } from './notes-api.js'
import { startServer } from './server.js'
import { ANA_WEATHER_KEY, startWeatherMcp } from './weather-mcp.js'

const notesApiUrl = await startNotesApi()
const weatherMcpUrl = await startWeatherMcp()
const app = await startServer({ port: Number(process.env.PORT ?? 3000), notesApiUrl, weatherMcpUrl })
console.log(
  `App listening on ${app.url}; the stand-ins: Notes API ${notesApiUrl}, Weather MCP ${weatherMcpUrl}`,
)

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

const weather = await asAna<Connection>('POST', '/connections', {
  provider: 'weather',
  credentials: { apiKey: ANA_WEATHER_KEY },
})
await asAna('POST', `/connections/${weather.id}/tools/sync`)
const weatherTools = await asAna<Array<{ slug: string }>>('GET', `/connections/${weather.id}/tools`)
console.log(
  `1. Ana connected the Weather MCP server; its tools: ${weatherTools.map((t) => t.slug).join(', ')}`,
)
const { output } = await asAna<{ output: unknown }>(
  'POST',
  `/connections/${weather.id}/tools/get_forecast/run`,
  {
    input: { city: 'Lisbon' },
  },
)
console.log(`   she ran get_forecast: ${JSON.stringify(output)}`)

const connection = await asAna<Connection>('POST', '/connections', {
  provider: 'notes',
  credentials: { apiKey: ANA_NOTES_KEY },
})
console.log(`2. Ana connected her Notes account ${connection.accountEmail}`)
const { agent, key } = await asAna<{ agent: { id: string; name: string }; key: string }>('POST', '/agents', {
  name: 'notes-agent',
})
await asAna('POST', '/policies', {
  connectionId: connection.id,
  agentId: agent.id,
  defaultMode: 'read_write',
  stepUpApproval: 'risk_based', // reads go, writes wait for Ana
})
await asAna('POST', '/policies', { connectionId: weather.id, agentId: agent.id, defaultMode: 'read_only' })
console.log(
  `3. Ana made the agent ${agent.name}: it may read Notes, write with her approval, and read Weather`,
)

console.log(`4. The agent connects to ${app.url}/integrations/mcp:`)
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
