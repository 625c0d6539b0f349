import { afterAll, describe, expect, it } from 'vitest'
import { cleanUp, runExample, tempDir } from './run-example.js'

afterAll(cleanUp)

describe('examples/mcp', () => {
  it('runs an agent over /mcp with the SDK client: lists, reads, waits for approval, writes once', async () => {
    const example = await runExample('examples/mcp/run.ts', {
      cwd: await tempDir(),
      ready: /Done\. Still up: POST (http:\/\/\S+)\/integrations\/mcp/,
      env: { PORT: '0' },
    })
    const output = example.output()
    expect(output).toContain('1. Ana connected her Notes account ana@example.com\n')
    expect(output).toContain('agent: my tools: notes__list_notes (read), notes__add_note\n')
    expect(output).toContain('agent: read 2 notes: Renew the passport; Book the dentist\n')
    const asked = /agent: the write waits for approval ([0-9a-f-]{36}) \(/.exec(output)
    expect(asked).not.toBeNull()
    expect(output).toContain(`   Ana approved ${asked?.[1]}\n`)
    expect(output).toContain('agent: added note {"id":3,"title":"Call the plumber"}\n')
    expect(output).toContain('agent: the same approval again: forbidden (an approval runs once)\n')
    expect(output).not.toMatch(/ak_/)

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
