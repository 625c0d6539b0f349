import { dataOf, errorOf, type FetchLike, gated, segment, transport } from './transport.js'
import type { AccessToken, Gated, ToolRunResult, ToolState } from './types.js'

export interface AgentClientOptions {
  /** Where the router is mounted, e.g. `https://app.example/integrations`. */
  baseUrl: string
  /** `ak_<agent id>.<secret>`, from `POST /agents` or a key rotation. */
  agentKey: string
  fetch?: FetchLike | undefined
}

/** `approvalId`: the repeat of a call that answered with an approval, once the owner approved it. */
export interface GatedCall {
  approvalId?: string | undefined
}

export type ProxyInit = Omit<RequestInit, 'headers'> & GatedCall & { headers?: RequestInit['headers'] }

/**
 * An agent's client, by its key: the calls its policies govern. A connection is its id, or a
 * singleton provider's id. Each answers `{ kind: 'done', data }`, or `{ kind: 'approval', approval }`
 * when a human must approve first; refusals (403 `policy_denied`, 404, 429) are thrown.
 */
export function createAgentClient(options: AgentClientOptions) {
  const send = transport({
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    headers: { authorization: `Bearer ${options.agentKey}` },
    // The key is the credential: a user's cookies have no business on an agent's calls.
    credentials: 'omit',
  })
  const connection = (ref: string) => `connections/${segment(ref)}`

  return {
    /** Model A: a live access token of the connection. */
    token: (ref: string, call: GatedCall = {}): Promise<Gated<AccessToken>> =>
      send(`${connection(ref)}/token`, call).then(gated<AccessToken>),

    /**
     * Model B: `path` (with its query) on the provider's API, the credential added by the router. The
     * provider's answer comes back as it is, whatever its status.
     */
    async proxy(ref: string, path: string, init: ProxyInit = {}): Promise<Gated<Response>> {
      const { approvalId, headers, body, method, ...rest } = init
      const response = await send(`${connection(ref)}/proxy/${path.replace(/^\/+/, '')}`, {
        init: rest,
        method: method ?? 'GET',
        // fetch's own default, not the client's JSON one: the provider's API decides what it answers.
        headers: { accept: '*/*', ...Object.fromEntries(new Headers(headers)) },
        rawBody: body,
        approvalId,
      })
      // The router sandboxes every answer it relays; its own answers (refusals, approvals) are not.
      if (/\bsandbox\b/.test(response.headers.get('content-security-policy') ?? '')) {
        return { kind: 'done', data: response }
      }
      if (response.status === 202) return gated<Response>(response)
      if (!response.ok) throw await errorOf(response)
      return { kind: 'done', data: response }
    },

    tools: {
      /** The enabled tools its policy admits on the connection, pinned values left out. */
      list: (ref: string) => send(`${connection(ref)}/tools`).then(dataOf<ToolState[]>),
      /** Runs a tool with `input` (checked against its schema: 422 `invalid_input` with JSON pointers). */
      run: (ref: string, slug: string, input: Record<string, unknown>, call: GatedCall = {}) =>
        send(`${connection(ref)}/tools/${segment(slug)}/run`, {
          method: 'POST',
          body: { input },
          ...call,
        }).then(gated<ToolRunResult>),
    },
  }
}

export type AgentClient = ReturnType<typeof createAgentClient>
