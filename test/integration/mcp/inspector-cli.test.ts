import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { bindPolicy, createAgent, owner } from '../../support/agent-policy.js'
import { apiCalls, closeTrackerApps, connectTracker } from '../../support/tool-fixture.js'

/**
 * `/mcp` driven by a client nobody here wrote: the MCP Inspector's CLI (its own copy of the SDK),
 * run as a user would, with the agent key in a header.
 */

afterEach(closeTrackerApps)

const run = promisify(execFile)
const cli = join(
  dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector-cli/package.json')),
  'build',
  'index.js',
)

async function inspector(url: string, key: string | null, ...args: string[]) {
  const header = key ? ['--header', `Authorization: Bearer ${key}`] : []
  try {
    const { stdout } = await run(process.execPath, [cli, url, '--transport', 'http', ...header, ...args], {
      timeout: 30_000,
      // The CLI checks for its package.json relative to the working directory, then imports it relative
      // to itself: it only starts from its own build folder.
      cwd: dirname(cli),
    })
    return { ok: true, out: JSON.parse(stdout) as Record<string, unknown> }
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    return { ok: false, out: { stdout, stderr } }
  }
}

describe('/mcp with the MCP Inspector CLI', () => {
  it('lists the agent’s tools, calls one, and goes through an approval with --tool-metadata', async () => {
    const s = await connectTracker({ mcp: true })
    const agent = await createAgent(s.app)
    await bindPolicy(s.app, agent, s.id, { defaultMode: 'read_write', stepUpApproval: 'risk_based' })
    const url = `${s.app.url}/integrations/mcp`

    const listed = await inspector(url, agent.key, '--method', 'tools/list')
    expect(listed.ok, JSON.stringify(listed.out)).toBe(true)
    const tools = listed.out.tools as Array<{ name: string; annotations: Record<string, unknown> }>
    expect(tools.map((t) => t.name)).toEqual([
      'tracker__list_items',
      'tracker__create_item',
      'tracker__delete_item',
    ])
    expect(tools[2]?.annotations).toMatchObject({ destructiveHint: true })

    const read = await inspector(
      url,
      agent.key,
      ...['--method', 'tools/call', '--tool-name', 'tracker__list_items', '--tool-arg', 'project=acme'],
    )
    expect(read.out).toMatchObject({ structuredContent: { total: 1 } })
    expect(read.out.isError).toBeFalsy()

    const write = ['--method', 'tools/call', '--tool-name', 'tracker__create_item']
    const args = ['--tool-arg', 'project=acme', 'title=Inspected']
    const asked = await inspector(url, agent.key, ...write, ...args)
    expect(asked.out).toMatchObject({
      isError: true,
      structuredContent: { error: { code: 'approval_required' } },
    })
    const approvalId = (asked.out.structuredContent as { approval: { id: string } }).approval.id
    await request(s.app.url).post(`/integrations/approvals/${approvalId}/approve`).set(owner).expect(200)
    const ran = await inspector(
      url,
      agent.key,
      ...write,
      ...args,
      '--tool-metadata',
      `approvalId=${approvalId}`,
    )
    expect(ran.out).toMatchObject({ structuredContent: { id: 8, url: 'https://tracker.example/acme/8' } })
    expect(ran.out.isError).toBeFalsy()
    expect(apiCalls(s.fake).map((c) => c.method)).toEqual(['GET', 'POST'])

    const refused = await inspector(url, null, '--method', 'tools/list')
    expect(refused.ok).toBe(false)
    expect(JSON.stringify(refused.out)).toMatch(/takes an agent key/)
  }, 60_000)
})
