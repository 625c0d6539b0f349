import { createPrivateKey, type KeyObject, sign } from 'node:crypto'
import { z } from 'zod'
import { ConnectionsError } from '../core/errors.js'
import { isHttpsOrLoopback } from '../core/url-policy.js'
import type { ProviderFetch } from './types.js'

/** What `providers.githubApp.installationToken()` takes. */
export interface GitHubInstallationTokenOptions {
  /** The app's ID or its client ID (`Iv23…`): the JWT's issuer. */
  appId: string | number
  /** The app's private key (PEM as downloaded from the app's settings, or a KeyObject). */
  privateKey: string | KeyObject
  installationId: string | number
  /** Narrow the token to these repositories (names) of the installation. */
  repositories?: string[]
  /** Narrow the token to these permissions (`{ issues: 'write' }`), within the installation's. */
  permissions?: Record<string, 'read' | 'write' | 'admin'>
  /** Default `https://api.github.com`; `https://<host>/api/v3` for Enterprise Server. */
  apiBaseUrl?: string
  timeoutMs?: number
  fetch?: ProviderFetch
}

/** An installation access token (`ghs_…`): the app acting as itself on one installation, for an hour. */
export interface GitHubInstallationToken {
  token: string
  expiresAt: string
  permissions: Record<string, string>
  repositorySelection: string | null
}

const options = z.object({
  appId: z.union([z.number().int().positive(), z.string().regex(/^(\d+|Iv[0-9A-Za-z._-]{1,60})$/)]),
  installationId: z.union([z.number().int().positive(), z.string().regex(/^\d{1,20}$/)]),
  repositories: z
    .array(z.string().regex(/^[A-Za-z0-9._-]{1,100}$/))
    .max(500)
    .optional(),
  permissions: z.record(z.string().regex(/^[a-z_]{1,64}$/), z.enum(['read', 'write', 'admin'])).optional(),
  apiBaseUrl: z
    .url({ protocol: /^https?$/ })
    .refine((value) => isHttpsOrLoopback(new URL(value)), 'must be https')
    .optional(),
  timeoutMs: z.number().int().positive().max(60_000).optional(),
})

/**
 * Creates an installation access token: a JWT signed with the app's private key (RS256, issued 60 s in
 * the past against clock drift, 9 minutes of life; GitHub allows 10) is exchanged at
 * `POST /app/installations/{id}/access_tokens`. This credential is the app's, not a user's: keep it out
 * of connections, and ask for a new one when it expires (an hour).
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-an-installation-access-token-for-a-github-app (read 2026-12-07)
 */
export async function githubInstallationToken(
  input: GitHubInstallationTokenOptions,
): Promise<GitHubInstallationToken> {
  const parsed = options.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new TypeError(`githubApp.installationToken: ${issue?.path.join('.')} ${issue?.message}`)
  }
  const o = parsed.data
  const jwt = appJwt(String(o.appId), input.privateKey)
  const base = (o.apiBaseUrl ?? 'https://api.github.com').replace(/\/+$/, '')
  const narrowing = {
    ...(o.repositories ? { repositories: o.repositories } : {}),
    ...(o.permissions ? { permissions: o.permissions } : {}),
  }
  let response: Response
  try {
    response = await (input.fetch ?? fetch)(`${base}/app/installations/${o.installationId}/access_tokens`, {
      method: 'POST',
      headers: {
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        authorization: `Bearer ${jwt}`,
        ...(Object.keys(narrowing).length > 0 ? { 'content-type': 'application/json' } : {}),
      },
      ...(Object.keys(narrowing).length > 0 ? { body: JSON.stringify(narrowing) } : {}),
      redirect: 'error',
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    })
  } catch (cause) {
    throw new ConnectionsError('provider_error', 'GitHub did not answer the installation token request.', {
      cause,
    })
  }
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null
  if (response.status !== 201 || typeof body?.token !== 'string' || typeof body.expires_at !== 'string') {
    throw new ConnectionsError(
      'provider_error',
      `GitHub refused the installation token request (${response.status}).`,
    )
  }
  return {
    token: body.token,
    expiresAt: body.expires_at,
    permissions: (body.permissions ?? {}) as Record<string, string>,
    repositorySelection: typeof body.repository_selection === 'string' ? body.repository_selection : null,
  }
}

/** https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app (read 2026-12-07) */
function appJwt(issuer: string, privateKey: string | KeyObject): string {
  let key: KeyObject
  try {
    key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey
  } catch {
    throw new TypeError('githubApp.installationToken: privateKey is not a readable private key')
  }
  if (key.type !== 'private' || key.asymmetricKeyType !== 'rsa') {
    throw new TypeError('githubApp.installationToken: privateKey must be the app’s RSA private key')
  }
  const now = Math.floor(Date.now() / 1000)
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const input = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ iat: now - 60, exp: now + 540, iss: issuer })}`
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`
}
