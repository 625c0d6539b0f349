/**
 * The AI agent, a process of its own. It holds its agent key (`ak_…`), never the user's Notes key,
 * and acts on one of the user's connections through the app, within its policy: here, read-only, and
 * only `GET /v1/notes`, through the proxy (model B: the app adds the credential, the agent never sees
 * it). run.ts starts it with APP_URL, AGENT_KEY and CONNECTION_ID set.
 */
const { APP_URL, AGENT_KEY, CONNECTION_ID } = process.env
if (!APP_URL || !AGENT_KEY || !CONNECTION_ID) {
  console.error('Set APP_URL, AGENT_KEY and CONNECTION_ID, or start it with run.ts.')
  process.exit(1)
}

const connection = `${APP_URL}/integrations/connections/${CONNECTION_ID}`
const asAgent = { authorization: `Bearer ${AGENT_KEY}` }

// The proxy: everything after /proxy goes to the provider's API, with the credential added.
const read = await fetch(`${connection}/proxy/v1/notes`, { headers: asAgent })
if (!read.ok) throw new Error(`GET /proxy/v1/notes answered ${read.status}`)
const { notes } = (await read.json()) as { notes: Array<{ title: string }> }
console.log(`agent: read ${notes.length} notes through the proxy: ${notes.map((n) => n.title).join('; ')}`)

/** What the policy says to a call it refuses: the status and the rule. */
async function refusal(response: Response): Promise<string> {
  const body = (await response.json()) as { error: { code: string; details?: Array<{ rule: string }> } }
  return `${response.status} ${body.error.code} (${body.error.details?.[0]?.rule})`
}

// Everything else is refused by the policy before the Notes API sees anything.
const write = await fetch(`${connection}/proxy/v1/notes`, {
  method: 'POST',
  headers: { ...asAgent, 'content-type': 'application/json' },
  body: JSON.stringify({ title: 'Cancel the dentist' }),
})
console.log(`agent: writing a note: ${await refusal(write)}`)
const me = await fetch(`${connection}/proxy/v1/me`, { headers: asAgent })
console.log(`agent: reading the account: ${await refusal(me)}`)
const token = await fetch(`${connection}/token`, { headers: asAgent })
console.log(`agent: asking for the raw token: ${await refusal(token)}`)
