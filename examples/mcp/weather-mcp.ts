/**
 * STAND-IN for a remote MCP server, so that this example runs offline: a "Weather" server made with
 * the SDK (a low-level `Server` over a stateless streamable HTTP transport) that takes one static
 * key as `Authorization: Bearer <key>` and has one read-only tool, `get_forecast`. In your app this
 * is someone else's server (or one of yours) and you do not run it.
 */
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'

/** The one key the stand-in takes: Ana's, as if the Weather service had issued it to her. */
export const ANA_WEATHER_KEY = 'wx_live_ana_7c6b5a49'

const forecasts: Record<string, { city: string; summary: string; highC: number }> = {
  lisbon: { city: 'Lisbon', summary: 'sunny', highC: 19 },
  oslo: { city: 'Oslo', summary: 'snow', highC: -2 },
}

function weatherServer(): Server {
  const server = new Server({ name: 'weather', version: '1.0.0' }, { capabilities: { tools: {} } })
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [
      {
        name: 'get_forecast',
        title: 'Get forecast',
        description: "Tomorrow's forecast for a city.",
        inputSchema: {
          type: 'object',
          properties: { city: { type: 'string', minLength: 1 } },
          required: ['city'],
          additionalProperties: false,
        },
        annotations: { readOnlyHint: true },
      },
    ],
  }))
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { city } = (request.params.arguments ?? {}) as { city?: string }
    const forecast = forecasts[String(city).toLowerCase()]
    if (request.params.name !== 'get_forecast' || !forecast)
      return { content: [{ type: 'text', text: `No forecast for ${city}.` }], isError: true }
    return { content: [{ type: 'text', text: JSON.stringify(forecast) }], structuredContent: forecast }
  })
  return server
}

/** Starts the stand-in on a free port and resolves with its MCP endpoint's URL. */
export async function startWeatherMcp(): Promise<string> {
  const httpServer = http.createServer(async (req, res) => {
    if (req.url !== '/mcp') return void res.writeHead(404).end()
    if (req.headers.authorization !== `Bearer ${ANA_WEATHER_KEY}`)
      return void res.writeHead(401, { 'www-authenticate': 'Bearer' }).end()
    // Stateless: a server and a transport per request, plain JSON answers.
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    })
    const server = weatherServer()
    res.on('close', () => {
      void transport.close()
      void server.close()
    })
    await server.connect(transport)
    await transport.handleRequest(req, res)
  })
  httpServer.listen(0, '127.0.0.1')
  await once(httpServer, 'listening')
  return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp`
}
