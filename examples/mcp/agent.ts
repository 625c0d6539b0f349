/**
 * The agent: an MCP client (the SDK's own) on the router's `/mcp`, with its key as a bearer token.
 * It lists its tools (the Weather MCP server's among them), reads, and asks to write; the write waits for Ana's approval, and the agent
 * repeats it with the approval's id once `approved` resolves.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'

export async function runAgent(options: {
  mcpUrl: string
  key: string
  /** Resolves once a person approved the approval with this id (here, Ana in run.ts). */
  approved: (approvalId: string) => Promise<void>
}): Promise<void> {
  const client = new Client({ name: 'notes-agent', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL(options.mcpUrl), {
    requestInit: { headers: { authorization: `Bearer ${options.key}` } },
  })
  await client.connect(transport)
  const { tools } = await client.listTools()
  console.log(
    `agent: my tools: ${tools.map((t) => `${t.name}${t.annotations?.readOnlyHint ? ' (read)' : ''}`).join(', ')}`,
  )

  const read = await client.callTool({ name: 'notes__list_notes', arguments: {} })
  const { notes } = read.structuredContent as { notes: Array<{ title: string }> }
  console.log(`agent: read ${notes.length} notes: ${notes.map((n) => n.title).join('; ')}`)

  // A tool of the remote Weather MCP server, passed through the router under the agent's policy.
  const forecast = await client.callTool({ name: 'weather__get_forecast', arguments: { city: 'Oslo' } })
  console.log(`agent: forecast from the Weather MCP server: ${JSON.stringify(forecast.structuredContent)}`)

  const add = { name: 'notes__add_note', arguments: { title: 'Call the plumber' } }
  const asked = await client.callTool(add)
  if (!asked.isError) throw new Error('the write should have waited for an approval')
  const { approval } = asked.structuredContent as { approval: { id: string; reason: string } }
  console.log(`agent: the write waits for approval ${approval.id} (${approval.reason})`)
  await options.approved(approval.id)
  const done = await client.callTool({ ...add, _meta: { approvalId: approval.id } })
  console.log(`agent: added note ${JSON.stringify(done.structuredContent)}`)

  const again = await client.callTool({ ...add, _meta: { approvalId: approval.id } })
  const refusal = again.structuredContent as { error: { code: string } }
  console.log(`agent: the same approval again: ${refusal.error.code} (an approval runs once)`)
  await client.close()
}
