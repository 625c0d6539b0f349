import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { github } from '../../../src/providers/presets/github.js'
import { GITHUB_TOOLS } from '../../../src/providers/tools/github.js'
import { owner } from '../../support/agent-policy.js'
import { startFakeProvider } from '../../support/fake-provider.js'
import { connectThroughFake } from '../../support/preset-flow.js'
import { SEED_001_FIELDS } from '../../support/tool-fixture.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

function ownSchema(schema: Record<string, unknown> | undefined) {
  const { required, ...rest } = schema ?? {}
  return Array.isArray(required) && required.length === 0 ? rest : schema
}

describe('a GitHub connection’s tools', () => {
  it('GET /connections/:id/tools returns every seed-001 field of every GitHub tool, for a connection made through the real flow', async () => {
    const fake = await startFakeProvider({
      token: () => ({ access_token: 'gho_tools-CANARY', scope: 'repo,read:user', token_type: 'bearer' }),
      userInfo: () => ({ login: 'octocat', id: 583231, name: 'The Octocat', email: 'octocat@github.com' }),
      routes: {
        '/repos/acme/web/issues': () => [
          {
            number: 7,
            title: 'Printer on fire',
            state: 'open',
            html_url: 'https://github.com/acme/web/issues/7',
          },
        ],
      },
    })
    const provider = github({
      clientId: 'gh-id',
      clientSecret: 'gh-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    const { app, connection } = await connectThroughFake(provider, fake)
    const tools = `/integrations/connections/${connection.id}/tools`

    const listed = await request(app.url).get(tools).set(owner)
    expect(listed.status, JSON.stringify(listed.body)).toBe(200)
    const rows: Array<Record<string, unknown>> = listed.body.data
    expect(rows.map((t) => t.slug)).toEqual(GITHUB_TOOLS.map((d) => d.slug))
    for (const [at, row] of rows.entries()) {
      const definition = GITHUB_TOOLS[at]
      expect(Object.keys(row).sort(), String(row.slug)).toEqual([...SEED_001_FIELDS].sort())
      expect(row).toEqual({
        id: expect.stringMatching(UUID),
        connectionId: connection.id,
        slug: definition?.slug,
        toolPath: `github/${definition?.slug}`,
        displayName: definition?.displayName,
        description: definition?.description,
        inputSchema: definition?.inputSchema,
        responseSchema: definition?.responseSchema,
        responseFieldMap: definition?.responseFieldMap,
        annotations: definition?.annotations,
        isEnabled: true,
        inputDefaults: {},
        pinnedFields: [],
        defaultCount: 0,
        pinnedCount: 0,
        // Nothing set yet: the agent sees the tool's own schema (an empty `required` left out).
        mergedInputPreview: ownSchema(definition?.inputSchema),
        staleInputFields: [],
        staleFieldPaths: [],
        lastSeenAt: expect.stringMatching(ISO),
        createdAt: expect.stringMatching(ISO),
        updatedAt: expect.stringMatching(ISO),
      })
    }
    expect(new Set(rows.map((t) => t.id)).size).toBe(rows.length)

    // The owner's settings show in the same fields: counts, and the preview without the pinned field.
    const patched = await request(app.url)
      .patch(`${tools}/list_issues`)
      .set(owner)
      .send({ inputDefaults: { owner: 'acme', repo: 'web' }, pinnedFields: ['owner'] })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    expect(patched.body.data).toMatchObject({
      inputDefaults: { owner: 'acme', repo: 'web' },
      pinnedFields: ['owner'],
      defaultCount: 2,
      pinnedCount: 1,
    })
    const preview = patched.body.data.mergedInputPreview
    expect(Object.keys(preview.properties)).not.toContain('owner')
    expect(preview.properties.repo).toMatchObject({ default: 'web' })
    expect(preview.required ?? []).not.toContain('owner')

    // And a run goes to the fake's GitHub API with the connection's token.
    const ran = await request(app.url).post(`${tools}/list_issues/run`).set(owner).send({ input: {} })
    expect(ran.status, JSON.stringify(ran.body)).toBe(200)
    expect(ran.body.data.output).toEqual({
      issues: [
        { number: 7, title: 'Printer on fire', state: 'open', url: 'https://github.com/acme/web/issues/7' },
      ],
    })
    const call = fake.requests.find((r) => r.path === '/repos/acme/web/issues')
    expect(call?.headers.authorization).toMatch(/gho_tools-CANARY$/)

    await expect
      .poll(
        async () =>
          (await request(app.url).get(`/integrations/connections/${connection.id}`).set(owner)).body.data,
      )
      .toMatchObject({ toolsStatus: 'synced', toolsSyncedAt: expect.stringMatching(ISO) })
  })
})
