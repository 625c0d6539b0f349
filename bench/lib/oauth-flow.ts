/**
 * Connects an account through the router's real OAuth flow against servers/fake-provider.ts, as a
 * browser would: /connect (302 to the provider, session cookie), the provider's approval (302 back),
 * the callback with the cookie. Returns the new connection's id.
 */
export async function connectThroughOAuth(mount: string, owner: string, provider = 'local'): Promise<string> {
  const headers = { 'x-user': owner }
  const start = await fetch(`${mount}/connect/${provider}`, { headers, redirect: 'manual' })
  const cookie = start.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const authorize = start.headers.get('location')
  if (start.status !== 302 || !authorize) throw new Error(`/connect answered ${start.status}`)
  const approval = await fetch(authorize, { redirect: 'manual' })
  const callback = approval.headers.get('location')
  if (approval.status !== 302 || !callback) throw new Error(`the provider answered ${approval.status}`)
  const done = await fetch(callback, { headers: { ...headers, cookie }, redirect: 'manual' })
  const body = (await done.json()) as { data?: { id?: string }; error?: unknown }
  if (done.status !== 200 || !body.data?.id) {
    throw new Error(`the callback answered ${done.status}: ${JSON.stringify(body)}`)
  }
  return body.data.id
}

/** Connects an API key through `POST /connections` (the router's, or the baseline's by-hand route). */
export async function connectApiKey(mount: string, owner: string, apiKey: string): Promise<string> {
  const response = await fetch(`${mount}/connections`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user': owner },
    body: JSON.stringify({ provider: 'bench', credentials: { apiKey } }),
  })
  const body = (await response.json()) as { data?: { id?: string } }
  if (response.status !== 201 || !body.data?.id) {
    throw new Error(`POST /connections answered ${response.status}: ${JSON.stringify(body)}`)
  }
  return body.data.id
}
