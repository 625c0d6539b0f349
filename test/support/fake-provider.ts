import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { registerSecret, registerTokenResponse } from './canary.js'

export interface FakeRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  /** The body parsed as a form (or JSON, flattened to strings). */
  form: Record<string, string>
  /** The client id and secret from a Basic authorization header, if one was sent. */
  basic: { clientId: string; clientSecret: string } | null
  /**
   * The account a per-connection URL named: a request to `/t/<tenant>/token` is the token endpoint of
   * `<tenant>` (point a template at it: `${fake.url}/t/{shop}/token`); null without the prefix.
   */
  tenant: string | null
}

export interface FakeAnswer {
  status?: number
  body: unknown
  headers?: Record<string, string>
}

type Handler = (request: FakeRequest) => FakeAnswer | unknown

export interface FakeProviderOptions {
  /** The token endpoint's answer (code exchange and refresh); the provider's documented shape. */
  token: Handler
  /** The profile endpoint's answer, if the provider has one. */
  userInfo?: Handler
  /** Other endpoints by path: lookups after the exchange, an API call. */
  routes?: Record<string, Handler>
  /** Extra query parameters the provider adds to its redirect back (QuickBooks' realmId, …). */
  callbackParams?: Record<string, string> | ((back: URL) => Record<string, string>)
  /** A fake a whole file uses (started in beforeAll): not closed after each test, the file closes it. */
  keepOpen?: boolean
}

export interface FakeProvider {
  url: string
  /** Paths of the fake's endpoints, to give a preset as `endpoints`. */
  endpoints: { authorizationUrl: string; tokenUrl: string; userInfoUrl: string; revocationUrl: string }
  authorizations: URLSearchParams[]
  tokenRequests: FakeRequest[]
  userInfoRequests: FakeRequest[]
  revocations: FakeRequest[]
  requests: FakeRequest[]
  close(): Promise<void>
}

/**
 * A provider's OAuth endpoints on 127.0.0.1, answering with the shapes the test gives it. Its
 * authorization endpoint approves at once: it redirects to `redirect_uri` with a code and the state,
 * as the real one does after the user consents.
 */
const open = new Set<FakeProvider>()

/** Closes every fake a test started (run after each test by the vitest setup). */
export async function closeOpenFakes(): Promise<void> {
  await Promise.all([...open].map((fake) => fake.close()))
  open.clear()
}

/** The fake's endpoints without the ones a provider does not have (e.g. no RFC 7009 revocation). */
export function endpointsWithout(
  fake: FakeProvider,
  ...missing: Array<keyof FakeProvider['endpoints']>
): Partial<FakeProvider['endpoints']> {
  return Object.fromEntries(
    Object.entries(fake.endpoints).filter(([name]) => !missing.includes(name as never)),
  )
}

export async function startFakeProvider(options: FakeProviderOptions): Promise<FakeProvider> {
  const fake = {
    authorizations: [] as URLSearchParams[],
    tokenRequests: [] as FakeRequest[],
    userInfoRequests: [] as FakeRequest[],
    revocations: [] as FakeRequest[],
    requests: [] as FakeRequest[],
  }
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const tenant = /^\/t\/([^/]+)(\/.*)$/.exec(url.pathname)
    if (tenant) url.pathname = tenant[2] ?? '/'
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const request = toFakeRequest(
      req.method ?? 'GET',
      url,
      req.headers,
      Buffer.concat(chunks).toString('utf8'),
      tenant ? decodeURIComponent(tenant[1] ?? '') : null,
    )
    fake.requests.push(request)
    // The secret canary looks for the client secrets the fake was sent, whether marked or not.
    registerSecret(request.form.client_secret, 'fake provider client_secret')
    registerSecret(request.basic?.clientSecret, 'fake provider client_secret')
    const send = (answer: FakeAnswer | unknown) => {
      const a = isAnswer(answer) ? answer : { body: answer }
      const body = typeof a.body === 'string' ? a.body : JSON.stringify(a.body)
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers }).end(body)
    }
    if (url.pathname === '/authorize') {
      fake.authorizations.push(url.searchParams)
      const back = new URL(url.searchParams.get('redirect_uri') ?? '')
      back.searchParams.set('code', `code-${fake.authorizations.length}`)
      back.searchParams.set('state', url.searchParams.get('state') ?? '')
      const extra =
        typeof options.callbackParams === 'function' ? options.callbackParams(back) : options.callbackParams
      for (const [name, value] of Object.entries(extra ?? {})) back.searchParams.set(name, value)
      res.writeHead(302, { location: back.toString() }).end()
    } else if (url.pathname === '/token') {
      fake.tokenRequests.push(request)
      const answer = options.token(request)
      // …and for the tokens it hands out, whether the test marked them or not.
      registerTokenResponse(isAnswer(answer) ? answer.body : answer, 'fake provider')
      send(answer)
    } else if (url.pathname === '/userinfo' && options.userInfo) {
      fake.userInfoRequests.push(request)
      send(options.userInfo(request))
    } else if (url.pathname === '/revoke') {
      fake.revocations.push(request)
      send({ body: '' })
    } else if (options.routes?.[url.pathname]) {
      send(options.routes[url.pathname]?.(request))
    } else {
      send({ status: 404, body: { error: 'not_found' } })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const started: FakeProvider = {
    ...fake,
    url: base,
    endpoints: {
      authorizationUrl: `${base}/authorize`,
      tokenUrl: `${base}/token`,
      userInfoUrl: `${base}/userinfo`,
      revocationUrl: `${base}/revoke`,
    },
    close: () =>
      new Promise((resolve) => {
        open.delete(started)
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  if (!options.keepOpen) open.add(started)
  return started
}

function isAnswer(value: unknown): value is FakeAnswer {
  return typeof value === 'object' && value !== null && 'body' in value
}

function toFakeRequest(
  method: string,
  url: URL,
  headers: IncomingHttpHeaders,
  text: string,
  tenant: string | null,
): FakeRequest {
  let form: Record<string, string> = {}
  if ((headers['content-type'] ?? '').includes('json') && text) {
    form = Object.fromEntries(
      Object.entries(JSON.parse(text) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    )
  } else if (text) {
    form = Object.fromEntries(new URLSearchParams(text))
  }
  const authorization = headers.authorization ?? ''
  let basic: FakeRequest['basic'] = null
  if (authorization.startsWith('Basic ')) {
    const [id = '', secret = ''] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':')
    basic = { clientId: decodeURIComponent(id), clientSecret: decodeURIComponent(secret) }
  }
  return { method, path: url.pathname, query: url.searchParams, headers, form, basic, tenant }
}
