import { afterEach, describe, expect, it } from 'vitest'
import { bindPolicy, createAgent } from '../../support/agent-policy.js'
import { mcpClient } from '../../support/mcp-agent.js'
import { apiCalls, closeTrackerApps, connectTracker } from '../../support/tool-fixture.js'

afterEach(closeTrackerApps)

const create = { name: 'tracker__create_item', arguments: { project: 'acme', title: 'From MCP' } }

/** Ana's tracker on a router with `/mcp` and `mcp.approvalUrl`, an agent whose writes wait for her. */
async function agentWaiting(approvalUrl: (approval: { id: string; connectionId: string }) => string) {
  const setup = await connectTracker({ mcp: { approvalUrl } })
  const agent = await createAgent(setup.app)
  await bindPolicy(setup.app, agent, setup.id, { defaultMode: 'read_write', stepUpApproval: 'risk_based' })
  return { ...setup, client: await mcpClient(`${setup.app.url}/integrations`, agent.key) }
}

describe('/mcp with mcp.approvalUrl', () => {
  it('names the host’s page for the approval in the pending call’s result (structured and text)', async () => {
    const seen: Array<{ id: string; connectionId: string }> = []
    const s = await agentWaiting((approval) => {
      seen.push(approval)
      return `https://app.example.com/settings/approvals?id=${approval.id}`
    })
    const asked = await s.client.callTool(create)
    expect(asked.isError).toBe(true)
    const { approval, approvalUrl } = asked.structuredContent as {
      approval: { id: string }
      approvalUrl: string
    }
    expect(approvalUrl).toBe(`https://app.example.com/settings/approvals?id=${approval.id}`)
    expect(JSON.stringify(asked.content)).toContain(approvalUrl)
    expect(seen).toEqual([
      expect.objectContaining({ id: approval.id, connectionId: s.id, status: 'pending' }),
    ])
    expect(apiCalls(s.fake)).toHaveLength(0)
    await s.client.close()
  })

  it('leaves out a URL that is not http(s), or a hook that throws, and says so in the log, not to the agent', async () => {
    let answer: () => string = () => 'javascript:alert(1)'
    const s = await agentWaiting(() => answer())
    const bad = await s.client.callTool(create)
    expect(bad.structuredContent).not.toHaveProperty('approvalUrl')
    expect(bad.structuredContent).toMatchObject({ error: { code: 'approval_required' } })
    expect(JSON.stringify(bad.content)).not.toContain('javascript')
    answer = () => {
      throw new Error('no page')
    }
    const thrown = await s.client.callTool(create)
    expect(thrown.structuredContent).toMatchObject({ error: { code: 'approval_required' } })
    expect(thrown.structuredContent).not.toHaveProperty('approvalUrl')
    expect(s.app.logs.filter((line) => line.includes('mcp.approvalUrl must return'))).toHaveLength(2)
    await s.client.close()
  })

  it('is refused at start when it is not a function', async () => {
    await expect(
      connectTracker({ mcp: { approvalUrl: 'https://app.example.com' as never } }),
    ).rejects.toThrow(/approvalUrl/)
  })
})
