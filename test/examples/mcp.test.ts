import { afterAll, describe, expect, it } from 'vitest'
import { cleanUp, runExample, tempDir } from './run-example.js'

afterAll(cleanUp)

describe('examples/mcp', () => {
  it('connects a remote MCP server and runs its tool, then an agent over /mcp sees it beside Notes: lists, reads, waits for approval, writes once', async () => {
    const example = await runExample('examples/mcp/run.ts', {
      cwd: await tempDir(),
      ready: /Done\. Still up: POST (http:\/\/\S+)\/integrations\/mcp/,
      env: { PORT: '0' },
    })
    const output = example.output()
    // The remote direction: the stand-in MCP server as a connection, its tools synced and run over HTTP.
    expect(output).toContain('1. Ana connected the Weather MCP server; its tools: get_forecast\n')
    expect(output).toContain('   she ran get_forecast: {"city":"Lisbon","summary":"sunny","highC":19}\n')
    expect(output).toContain('2. Ana connected her Notes account ana@example.com\n')
    // The agents' direction: the remote server's tool is among the agent's, and runs through the router.
    expect(output).toContain(
      'agent: my tools: notes__list_notes (read), notes__add_note, weather__get_forecast (read)\n',
    )
    expect(output).toContain('agent: read 2 notes: Renew the passport; Book the dentist\n')
    expect(output).toContain(
      'agent: forecast from the Weather MCP server: {"city":"Oslo","summary":"snow","highC":-2}\n',
    )
    const asked = /agent: the write waits for approval ([0-9a-f-]{36}) \(/.exec(output)
    expect(asked).not.toBeNull()
    expect(output).toContain(`   Ana approved ${asked?.[1]}\n`)
    expect(output).toContain('agent: added note {"id":3,"title":"Call the plumber"}\n')
    expect(output).toContain('agent: the same approval again: forbidden (an approval runs once)\n')
    expect(output).not.toMatch(/ak_|wx_live_/)

    // The endpoint stays up for agents only: without a key, 401.
    const mcp = await fetch(`${example.ready[1]}/integrations/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    })
    expect(mcp.status).toBe(401)
    await example.stop()
  }, 60_000)
})
