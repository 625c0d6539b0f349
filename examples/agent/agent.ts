/**
 * The AI agent, a process of its own. It holds its agent key (`ak_…`), never the user's Notes key,
 * and acts on one of the user's connections through the app, within its policy: here, read-only, and
 * only `GET /v1/notes`, through the proxy (model B: the app adds the credential, the agent never sees
 * it). It talks to the app with the package's typed client. run.ts starts it with APP_URL, AGENT_KEY
 * and CONNECTION_ID set.
 */
import { ConnectionsClientError, createAgentClient } from 'express-connections/client'

const { APP_URL, AGENT_KEY, CONNECTION_ID } = process.env
if (!APP_URL || !AGENT_KEY || !CONNECTION_ID) {
  console.error('Set APP_URL, AGENT_KEY and CONNECTION_ID, or start it with run.ts.')
  process.exit(1)
}

const agent = createAgentClient({ baseUrl: `${APP_URL}/integrations`, agentKey: AGENT_KEY })

// The proxy: the path goes to the provider's API, with the credential added; its answer comes back as is.
const read = await agent.proxy(CONNECTION_ID, '/v1/notes')
// A policy with step-up approvals could answer { kind: 'approval' } instead: show it to a human, retry with its id.
if (read.kind !== 'done' || !read.data.ok) throw new Error('GET /v1/notes did not run')
const { notes } = (await read.data.json()) as { notes: Array<{ title: string }> }
console.log(`agent: read ${notes.length} notes through the proxy: ${notes.map((n) => n.title).join('; ')}`)

/** What the policy says to a call it refuses: the status, the code and the rule. */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call
    return 'allowed'
  } catch (error) {
    if (!(error instanceof ConnectionsClientError)) throw error
    const [detail] = (error.details ?? []) as Array<{ rule?: string }>
    return `${error.status} ${error.code} (${detail?.rule})`
  }
}

// Everything else is refused by the policy before the Notes API sees anything.
const write = agent.proxy(CONNECTION_ID, '/v1/notes', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ title: 'Cancel the dentist' }),
})
console.log(`agent: writing a note: ${await refusal(write)}`)
console.log(`agent: reading the account: ${await refusal(agent.proxy(CONNECTION_ID, '/v1/me'))}`)
console.log(`agent: asking for the raw token: ${await refusal(agent.token(CONNECTION_ID))}`)
