import { z } from 'zod'
import { ConnectionsError } from '../core/errors.js'
import { isHttpsOrLoopback } from '../core/url-policy.js'
import type { OAuth2Provider } from './types.js'

/**
 * A value a connection gives at connect time (Shopify's `shop`, Zendesk's `subdomain`) and every URL
 * of the provider that names it as `{name}` uses from then on.
 */
export interface ConnectionParamSpec {
  /** What a value must be, whole: anchor it (`/^[a-z0-9-]+$/`). */
  pattern: RegExp
  /** Shown in the error when a value is missing or does not match ("the shop's subdomain"). */
  description: string
  /** A value that matches, shown in that error and used to check the URL templates at definition. */
  example: string
  /** Used when the connect request gives none; without one, the param is required. */
  default?: string
}

/**
 * The URL fields that may hold `{name}` placeholders: those that receive a code, a token or the client
 * secret, and the issuer (Okta-like tenants).
 */
export const TEMPLATED_FIELDS = [
  'authorizationUrl',
  'tokenUrl',
  'refreshUrl',
  'userInfoUrl',
  'revocationUrl',
  'apiBaseUrl',
  'issuer',
] as const
type TemplatedField = (typeof TEMPLATED_FIELDS)[number]

/** Query parameters of `GET /connect/:provider` that a connection param may not take as its name. */
export const RESERVED_PARAM_NAMES: ReadonlySet<string> = new Set(['return_url', 'scopes', 'label'])
const PARAM_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,31}$/
const PLACEHOLDER = /\{([^{}]*)\}/g
const MAX_VALUE = 255

/** The names a template refers to, in order. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '')
}

/**
 * Checks a definition's params and templates once, at start-up: every placeholder is a declared
 * param, every example (and default) matches its pattern, and the templates filled with the examples
 * are URLs of the template's shape. Returns the problems, one message each, keyed by field.
 */
export function checkTemplates(
  params: Readonly<Record<string, ConnectionParamSpec>>,
  urls: Partial<Record<TemplatedField, string | undefined>>,
): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = []
  for (const [name, spec] of Object.entries(params)) {
    const path = `connectionParams.${name}`
    if (!PARAM_NAME.test(name)) problems.push({ path, message: 'must be a name like shop or subdomain' })
    if (RESERVED_PARAM_NAMES.has(name))
      problems.push({ path, message: `collides with the connect query parameter "${name}"` })
    if (!(spec.pattern instanceof RegExp)) {
      problems.push({ path, message: 'pattern must be a RegExp' })
      continue
    }
    if (spec.pattern.global || spec.pattern.sticky)
      problems.push({ path, message: 'pattern must not be global or sticky (test() would keep state)' })
    if (!matches(spec, spec.example)) problems.push({ path, message: 'example does not match the pattern' })
    if (spec.default !== undefined && !matches(spec, spec.default))
      problems.push({ path, message: 'default does not match the pattern' })
  }
  const examples = Object.fromEntries(Object.entries(params).map(([name, spec]) => [name, spec.example]))
  for (const field of TEMPLATED_FIELDS) {
    const template = urls[field]
    if (!template) continue
    const unknown = placeholdersOf(template).filter((name) => !Object.hasOwn(params, name))
    if (unknown.length > 0) {
      problems.push({ path: field, message: `names {${unknown[0]}}, which is not a connectionParams entry` })
      continue
    }
    if (placeholdersOf(template).length === 0) continue
    const shape = templateShape(template)
    if (typeof shape === 'string') problems.push({ path: field, message: shape })
    else if (Object.values(examples).every((v) => typeof v === 'string')) {
      try {
        fill(template, examples, field)
      } catch {
        problems.push({ path: field, message: 'is not a valid URL with the example values' })
      }
    }
  }
  return problems
}

function matches(spec: ConnectionParamSpec, value: string): boolean {
  return typeof value === 'string' && value.length <= MAX_VALUE && spec.pattern.test(value)
}

/** One schema per provider's params, built at its first connect: zod compiles it on first use. */
const schemas = new WeakMap<Readonly<Record<string, ConnectionParamSpec>>, z.ZodType>()

function schemaOf(specs: Readonly<Record<string, ConnectionParamSpec>>): z.ZodType {
  const known = schemas.get(specs)
  if (known) return known
  const shape = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => {
      const rule = `must be ${spec.description}, e.g. "${spec.example}"`
      const value = z
        .string({
          // A repeated query key arrives as an array: not missing, just not one value.
          error: (issue) =>
            issue.input === undefined ? `is required: ${spec.description}, e.g. "${spec.example}"` : rule,
        })
        .trim()
        .max(MAX_VALUE, rule)
        .refine((v) => spec.pattern.test(v), rule)
      return [name, spec.default === undefined ? value : value.default(spec.default)]
    }),
  )
  const schema = z.strictObject(shape)
  schemas.set(specs, schema)
  return schema
}

/**
 * Validates what a connect request gave against the provider's params: only declared names, each
 * value matching its pattern, defaults filled in. The 400 names the param and its expected form, never
 * echoes the value; nothing has been stored or sent when it is thrown.
 */
export function resolveConnectionParams(
  provider: OAuth2Provider,
  given: Readonly<Record<string, unknown>> | undefined,
  at: readonly string[] = ['params'],
): Record<string, string> {
  const parsed = schemaOf(provider.connectionParams).safeParse(given ?? {})
  if (parsed.success) return parsed.data as Record<string, string>
  const details = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: [...at, key],
          code: 'invalid_connection_param',
          message: `is not a connection parameter of ${provider.name}`,
        }))
      : [
          {
            path: [...at, ...issue.path.map(String)],
            code: 'invalid_connection_param',
            message: issue.message,
          },
        ],
  )
  const first = details[0]
  throw new ConnectionsError(
    'invalid_request',
    `Invalid request: ${first?.path.join('.')} ${first?.message}.`,
    {
      details,
    },
  )
}

/**
 * The provider as one connection sees it: every templated URL filled with the connection's values.
 * A provider without params is returned as is. Throws `invalid_request` when a value does not match
 * (a record changed in the store is refused here, before any URL is called) or the filled URL would
 * leave the template's shape.
 */
export function bindConnectionParams(
  provider: OAuth2Provider,
  values: Readonly<Record<string, string>> | null | undefined,
): OAuth2Provider {
  if (Object.keys(provider.connectionParams).length === 0) return provider
  const checked = resolveConnectionParams(provider, values ?? {})
  const bound: OAuth2Provider = { ...provider, boundParams: checked }
  for (const field of TEMPLATED_FIELDS) {
    const template = provider[field]
    if (template && placeholdersOf(template).length > 0) bound[field] = fill(template, checked, field)
  }
  for (const field of TEMPLATED_FIELDS) {
    const url = bound[field]
    if (field !== 'issuer' && url && !provider.allowInsecureHttp && !isHttpsOrLoopback(new URL(url))) {
      throw refused(field, 'would not be https')
    }
  }
  return bound
}

/**
 * Fills a template and checks the result kept its shape: same scheme, port, no credentials, the
 * host's fixed labels in place around the value, the path's segments where the template has them.
 * A value percent-encoded cannot add a `/`, `@`, `#` or `?`, and one that the URL parser would
 * rewrite (`..`, a character not allowed in a host) makes the shapes differ: refused.
 */
function fill(template: string, values: Readonly<Record<string, string>>, field: string): string {
  const shape = templateShape(template)
  if (typeof shape === 'string') throw refused(field, shape)
  const href = template.replace(PLACEHOLDER, (_all, name: string) => encodeURIComponent(values[name] ?? ''))
  const url = URL.canParse(href) ? new URL(href) : null
  const replace = (text: string, encode: (v: string) => string) =>
    shape.names.reduce((out, name, i) => out.replaceAll(marker(i), encode(values[name] ?? '')), text)
  const host = replace(shape.url.hostname, (v) => v.toLowerCase())
  const path = replace(shape.url.pathname, encodeURIComponent)
  if (
    !url ||
    url.protocol !== shape.url.protocol ||
    url.port !== shape.url.port ||
    url.username !== '' ||
    url.password !== '' ||
    url.hostname !== host ||
    url.pathname !== path ||
    url.search !== shape.url.search ||
    url.hash !== ''
  ) {
    throw refused(field, "would leave the provider's host or path")
  }
  return url.href.replace(/\/$/, template.endsWith('/') ? '/' : '')
}

interface TemplateShape {
  url: URL
  names: string[]
}

/**
 * The template parsed with a marker in place of each placeholder. Placeholders may stand in the host
 * only before a fixed domain (`{shop}.myshopify.com`, never `{host}` or `{a}.com` alone), and in the
 * path; never in the scheme, port, credentials, query or fragment.
 */
function templateShape(template: string): TemplateShape | string {
  const names = placeholdersOf(template)
  let index = 0
  const marked = template.replace(PLACEHOLDER, () => marker(index++))
  if (!URL.canParse(marked)) return 'is not a URL template'
  const url = new URL(marked)
  const outside = [url.protocol, url.port, url.username, url.password, url.search, url.hash]
  if (outside.some((part) => part.includes('xcpx'))) return 'may hold placeholders in its host and path only'
  const markers = [...url.hostname.matchAll(/xcpx\d+x/g)]
  const last = markers.at(-1)
  if (last?.index !== undefined) {
    const suffix = url.hostname.slice(last.index + last[0].length)
    // At least a registrable domain after the value: `.zendesk.com`, `.my.salesforce.com`.
    if (!/^\.[^.]+\.[^.]+/.test(suffix))
      return 'may hold a placeholder in its host only before a fixed domain (like {shop}.myshopify.com)'
  }
  return { url, names }
}

function marker(index: number): string {
  return `xcpx${index}x`
}

function refused(field: string, why: string): ConnectionsError {
  return new ConnectionsError('invalid_request', `Invalid request: the ${field} of this connection ${why}.`, {
    details: [{ path: ['params'], code: 'invalid_connection_param', message: `${field} ${why}` }],
  })
}

/** The provider's connection params as the catalogue shows them; empty when it has none. */
export function connectionParamViews(provider: { connectionParams?: OAuth2Provider['connectionParams'] }) {
  return Object.entries(provider.connectionParams ?? {}).map(([name, spec]) => ({
    name,
    description: spec.description,
    example: spec.example,
    required: spec.default === undefined,
  }))
}

/** Whether two connections were made with the same params (none and empty are the same). */
export function sameParams(
  a: Readonly<Record<string, string>> | null | undefined,
  b: Readonly<Record<string, string>> | null | undefined,
): boolean {
  const left = Object.entries(a ?? {}).sort(([x], [y]) => (x < y ? -1 : 1))
  const right = Object.entries(b ?? {}).sort(([x], [y]) => (x < y ? -1 : 1))
  return JSON.stringify(left) === JSON.stringify(right)
}
