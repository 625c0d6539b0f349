import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'

/** The SDK's own client on `/mcp` of a router at `mount`, with the agent's key as a bearer token. */
export async function mcpClient(
  mount: string,
  key: string,
  headers: Record<string, string> = {},
): Promise<Client> {
  const client = new Client({ name: 'test-agent', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL(`${mount}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${key}`, ...headers } },
  })
  await client.connect(transport)
  return client
}

/** POSTs `body` (as is) to `/mcp` the way a streamable HTTP client does, with `headers` added. */
export function postMcp(
  mount: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${mount}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...headers,
    },
    body,
  })
}
