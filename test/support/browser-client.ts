export interface BrowserClientOptions {
  /** Extra request headers keyed by origin (`http://127.0.0.1:1234`): sent only to that origin. */
  headers?: Record<string, Record<string, string>>
}

export interface StoredCookie {
  name: string
  value: string
  /** Host name (cookies are not isolated by port, as in browsers). */
  domain: string
  /** False when the cookie had a Domain attribute and also matches subdomains. */
  hostOnly: boolean
  path: string
  /** Epoch ms; undefined for session cookies. */
  expires?: number
  secure: boolean
}

export interface FollowInit extends RequestInit {
  /** Stop before requesting a redirect target for which this returns true. */
  stopAt?: (url: URL) => boolean
}

export interface FollowResult {
  /** The last response received: a redirect when stopped by `stopAt`. */
  response: Response
  /** Where the flow ended: the unrequested `stopAt` target, else the last requested URL. */
  url: string
  /** Every URL requested, in order. */
  hops: string[]
}

const isRedirect = (status: number): boolean => [301, 302, 303, 307, 308].includes(status)
const isLoopback = (host: string): boolean => host === 'localhost' || host === '127.0.0.1' || host === '[::1]'

/** RFC 6265 default-path: the request path up to, not including, its last '/'. */
function defaultPath(pathname: string): string {
  const last = pathname.lastIndexOf('/')
  return last <= 0 ? '/' : pathname.slice(0, last)
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true
  if (!requestPath.startsWith(cookiePath)) return false
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'
}

function parseSetCookie(header: string, url: URL, now: number): StoredCookie | undefined {
  const [pair = '', ...attributes] = header.split(';')
  const eq = pair.indexOf('=')
  if (eq <= 0) return undefined
  const cookie: StoredCookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    domain: url.hostname,
    hostOnly: true,
    path: defaultPath(url.pathname),
    secure: false,
  }
  let maxAge: number | undefined
  for (const attribute of attributes) {
    const [rawKey = '', ...rest] = attribute.split('=')
    const key = rawKey.trim().toLowerCase()
    const value = rest.join('=').trim()
    if (key === 'path' && value.startsWith('/')) cookie.path = value
    else if (key === 'domain' && value) {
      cookie.domain = value.replace(/^\./, '').toLowerCase()
      cookie.hostOnly = false
    } else if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value)
    else if (key === 'expires' && !Number.isNaN(Date.parse(value))) cookie.expires = Date.parse(value)
    else if (key === 'secure') cookie.secure = true
  }
  // Max-Age wins over Expires.
  if (maxAge !== undefined) cookie.expires = now + maxAge * 1000
  return cookie
}

/**
 * A cookie-jar HTTP client that behaves like a browser for headless flows: redirects are never
 * followed implicitly, cookies are stored and sent per domain and path.
 */
export class BrowserClient {
  readonly #jar: StoredCookie[] = []
  readonly #headers: Record<string, Record<string, string>>

  constructor(opts: BrowserClientOptions = {}) {
    this.#headers = opts.headers ?? {}
  }

  /** Live (unexpired) cookies, for assertions. */
  cookies(): readonly Readonly<StoredCookie>[] {
    this.#purgeExpired()
    return [...this.#jar]
  }

  async request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url)
    const headers = new Headers(init.headers)
    for (const [name, value] of Object.entries(this.#headers[target.origin] ?? {})) {
      if (!headers.has(name)) headers.set(name, value)
    }
    const cookie = this.#cookieHeader(target)
    if (cookie) headers.set('cookie', cookie)

    const response = await fetch(target, { ...init, headers, redirect: 'manual' })
    this.#store(response.headers.getSetCookie(), target)
    return response
  }

  /** Requests `url`, then follows redirects like a browser (303, and 301/302 after POST, become GET). */
  async follow(url: string | URL, init: FollowInit = {}, maxHops = 20): Promise<FollowResult> {
    const { stopAt, ...requestInit } = init
    let current = new URL(url)
    let currentInit: RequestInit = requestInit
    const hops: string[] = []

    for (;;) {
      if (hops.length >= maxHops) throw new Error(`Too many redirects: ${hops.join(' -> ')}`)
      hops.push(current.href)
      const response = await this.request(current, currentInit)
      const location = response.headers.get('location')
      if (!isRedirect(response.status) || !location) return { response, url: current.href, hops }

      // Drain the body so the connection can be reused.
      await response.arrayBuffer()
      const next = new URL(location, current)
      if (stopAt?.(next)) return { response, url: next.href, hops }

      const method = (currentInit.method ?? 'GET').toUpperCase()
      const keepMethod =
        response.status === 307 || response.status === 308 || method === 'GET' || method === 'HEAD'
      if (!keepMethod) currentInit = { headers: stripBodyHeaders(currentInit.headers) }
      current = next
    }
  }

  #purgeExpired(now = Date.now()): void {
    for (let i = this.#jar.length - 1; i >= 0; i -= 1) {
      const { expires } = this.#jar[i] as StoredCookie
      if (expires !== undefined && expires <= now) this.#jar.splice(i, 1)
    }
  }

  #store(setCookies: string[], url: URL): void {
    const now = Date.now()
    for (const header of setCookies) {
      const cookie = parseSetCookie(header, url, now)
      if (!cookie) continue
      if (!cookie.hostOnly && !domainMatches(url.hostname, cookie.domain)) continue
      const existing = this.#jar.findIndex(
        (c) => c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path,
      )
      if (existing >= 0) this.#jar.splice(existing, 1)
      this.#jar.push(cookie)
    }
    // Expired cookies are how servers delete them.
    this.#purgeExpired(now)
  }

  #cookieHeader(url: URL): string {
    this.#purgeExpired()
    const secureContext = url.protocol === 'https:' || isLoopback(url.hostname)
    return (
      this.#jar
        .filter(
          (c) =>
            (c.hostOnly ? c.domain === url.hostname : domainMatches(url.hostname, c.domain)) &&
            pathMatches(url.pathname, c.path) &&
            (!c.secure || secureContext),
        )
        // Longer paths first, as browsers do.
        .sort((a, b) => b.path.length - a.path.length)
        .map((c) => `${c.name}=${c.value}`)
        .join('; ')
    )
  }
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`)
}

function stripBodyHeaders(headers: RequestInit['headers']): Headers {
  const result = new Headers(headers)
  result.delete('content-type')
  result.delete('content-length')
  return result
}

export interface HtmlForm {
  action: string
  fields: Record<string, string>
}

const decodeEntities = (text: string): string =>
  text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

const attribute = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag)
  return match?.[1] === undefined ? undefined : decodeEntities(match[1])
}

/** The first `<form>` of a page: its absolute action URL and its named inputs' values. */
export function parseForm(html: string, pageUrl: string): HtmlForm | undefined {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html)
  if (!form) return undefined
  const fields: Record<string, string> = {}
  for (const [input] of form[1]?.matchAll(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(input, 'name')
    if (name) fields[name] = attribute(input, 'value') ?? ''
  }
  return { action: new URL(attribute(form[0], 'action') ?? pageUrl, pageUrl).href, fields }
}

/**
 * Walks oidc-provider's devInteractions login and consent pages from `authorizationUrl` and
 * returns the URL of the redirect back to the client (the first one leaving the OAuth server's
 * origin, or matching `opts.stopAt`) without requesting it.
 */
export async function loginAndConsent(
  client: BrowserClient,
  authorizationUrl: string,
  login: string,
  opts: { stopAt?: (url: URL) => boolean } = {},
): Promise<{ callbackUrl: string }> {
  const serverOrigin = new URL(authorizationUrl).origin
  const stopAt = opts.stopAt ?? ((url: URL) => url.origin !== serverOrigin)

  let result = await client.follow(authorizationUrl, { stopAt })
  // Login, then consent; a third page means something unexpected (e.g. an error page).
  for (let page = 0; page < 3; page += 1) {
    if (isRedirect(result.response.status)) return { callbackUrl: result.url }

    const html = await result.response.text()
    const form = parseForm(html, result.url)
    const prompt = form?.fields.prompt
    if (!form || (prompt !== 'login' && prompt !== 'consent')) {
      throw new Error(`Unexpected page at ${result.url} (${result.response.status}): ${html.slice(0, 500)}`)
    }
    const body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'x' } : { prompt })
    result = await client.follow(form.action, { method: 'POST', body, stopAt })
  }
  throw new Error(`Authorization flow did not leave ${serverOrigin}`)
}
