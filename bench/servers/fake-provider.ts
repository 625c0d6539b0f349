/**
 * A provider's OAuth endpoints on 127.0.0.1, in a process of its own, for the stampede benchmark (#4):
 * the authorization endpoint approves at once, the code exchange hands out a token that expires
 * within `codeExpiresIn` seconds, and refreshes answer after `refreshLatencyMs` and are counted.
 * `GET /__stats` reports the counts.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { onStop, readConfig, ready } from '../lib/child.js'

export interface FakeProviderConfig {
  refreshLatencyMs: number
  codeExpiresIn: number
  refreshExpiresIn: number
}

export interface FakeProviderStats {
  exchanges: number
  refreshes: number
  /** Refreshes that presented a refresh token already rotated away (a second refresh of one grant). */
  staleRefreshes: number
}

const config = readConfig<FakeProviderConfig>()
const stats: FakeProviderStats = { exchanges: 0, refreshes: 0, staleRefreshes: 0 }
/** Access token → account, for the userinfo endpoint. */
const accounts = new Map<string, string>()
/** Live refresh tokens → account; a refresh rotates it. */
const grants = new Map<string, string>()
let nextAccount = 0

const token = () => randomBytes(18).toString('base64url')

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

async function form(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

function issue(account: string, expiresIn: number) {
  const accessToken = token()
  const refreshToken = token()
  accounts.set(accessToken, account)
  grants.set(refreshToken, account)
  return {
    access_token: accessToken,
    refresh_token: refreshToken,
    token_type: 'Bearer',
    expires_in: expiresIn,
    scope: 'read',
  }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://fake')
  if (url.pathname === '/authorize') {
    const back = new URL(url.searchParams.get('redirect_uri') ?? '')
    back.searchParams.set('code', token())
    back.searchParams.set('state', url.searchParams.get('state') ?? '')
    res.writeHead(302, { location: back.toString() }).end()
  } else if (url.pathname === '/token' && req.method === 'POST') {
    const body = await form(req)
    if (body.get('grant_type') === 'authorization_code') {
      stats.exchanges += 1
      nextAccount += 1
      send(res, 200, issue(`account-${nextAccount}`, config.codeExpiresIn))
    } else if (body.get('grant_type') === 'refresh_token') {
      stats.refreshes += 1
      const presented = body.get('refresh_token') ?? ''
      const account = grants.get(presented)
      await new Promise((resolve) => setTimeout(resolve, config.refreshLatencyMs))
      if (!account) {
        stats.staleRefreshes += 1
        send(res, 400, { error: 'invalid_grant', error_description: 'refresh token already used' })
        return
      }
      grants.delete(presented) // rotation: a refresh token works once
      send(res, 200, issue(account, config.refreshExpiresIn))
    } else {
      send(res, 400, { error: 'unsupported_grant_type' })
    }
  } else if (url.pathname === '/userinfo') {
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '')
    const account = accounts.get(bearer)
    if (!account) send(res, 401, { error: 'invalid_token' })
    else send(res, 200, { sub: account, email: `${account}@bench.example` })
  } else if (url.pathname === '/__stats') {
    send(res, 200, stats)
  } else {
    send(res, 404, { error: 'not_found' })
  }
})

await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, resolve))
onStop(
  () =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
)
ready({ port: (server.address() as AddressInfo).port })
