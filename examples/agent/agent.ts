/**
 * The AI agent, a process of its own. It holds an agent key of the host app, never the user's Notes
 * key, and acts on one of the user's connections through the app, both ways:
 *   A. take a token and call the provider's API itself (or hand the token to the provider's SDK);
 *   B. call the API through the app's proxy, which adds the credential: the agent never sees it.
 * run.ts starts it with APP_URL, AGENT_KEY, CONNECTION_ID and NOTES_API_URL set.
 */
const { APP_URL, AGENT_KEY, CONNECTION_ID, NOTES_API_URL } = process.env
if (!APP_URL || !AGENT_KEY || !CONNECTION_ID || !NOTES_API_URL) {
  console.error('Set APP_URL, AGENT_KEY, CONNECTION_ID and NOTES_API_URL, or start it with run.ts.')
  process.exit(1)
}

const connection = `${APP_URL}/integrations/connections/${CONNECTION_ID}`
const asAgent = { authorization: `Bearer ${AGENT_KEY}` }

async function getJson<T>(url: string, headers: Record<string, string>): Promise<T> {
  const response = await fetch(url, { headers })
  if (!response.ok) throw new Error(`GET ${new URL(url).pathname} answered ${response.status}`)
  return (await response.json()) as T
}

// A. A token, valid now (the app refreshes it first when it is about to expire).
const { data: token } = await getJson<{ data: { accessToken: string; tokenType: string } }>(
  `${connection}/token`,
  asAgent,
)
const me = await getJson<{ email: string }>(`${NOTES_API_URL}/v1/me`, {
  authorization: `${token.tokenType} ${token.accessToken}`,
})
console.log(`agent: took a ${token.tokenType} token and called Notes itself: signed in as ${me.email}`)

// B. The proxy: everything after /proxy goes to the provider's API, with the credential added.
const { notes } = await getJson<{ notes: Array<{ title: string }> }>(`${connection}/proxy/v1/notes`, asAgent)
console.log(`agent: read ${notes.length} notes through the proxy: ${notes.map((n) => n.title).join('; ')}`)
