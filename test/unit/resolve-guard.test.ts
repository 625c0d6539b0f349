import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectionsError } from '../../src/core/errors.js'
import { createPinnedFetch, type LookupAll } from '../../src/core/resolve-guard.js'
import { isNonPublicAddress } from '../../src/core/url-policy.js'
import { providerRefusal } from '../support/refusal.js'

/** A lookup that answers the given addresses for any name, and records which names it was asked. */
function answering(...addresses: string[]): LookupAll & { asked: string[] } {
  return answeringInTurn(addresses)
}

/** A lookup whose n-th answer is `answers[n]` (the last one again after that): a name being rebound. */
function answeringInTurn(...answers: string[][]): LookupAll & { asked: string[] } {
  const asked: string[] = []
  const lookup = async (hostname: string) => {
    const addresses = answers[Math.min(asked.length, answers.length - 1)] ?? []
    asked.push(hostname)
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
  }
  return Object.assign(lookup, { asked })
}

/** What of an error reaches a caller or a log: message, JSON and string forms. */
function shown(error: ConnectionsError): string {
  return `${error.message} ${String(error)} ${JSON.stringify(error)}`
}

interface LocalServer {
  port: number
  /** TCP connections accepted, whatever came over them. */
  connections: number
  requests: number
}

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise((resolve) => {
          server.closeAllConnections()
          server.close(resolve)
        }),
    ),
  )
})

/** An HTTP server on `host` that answers who it is and closes each connection after one answer. */
async function listenOn(host: string, port = 0): Promise<LocalServer> {
  const state = { port: 0, connections: 0, requests: 0 }
  const server = createServer((_req, res) => {
    state.requests += 1
    res.writeHead(200, { 'content-type': 'application/json', connection: 'close' })
    res.end(JSON.stringify({ served: host }))
  })
  server.on('connection', () => {
    state.connections += 1
  })
  servers.push(server)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  state.port = (server.address() as AddressInfo).port
  return state
}

// Loopback stands in for the internet: 127.0.0.1 is "public" here, every other non-public address
// (127.0.0.2 included) is refused as usual.
const onlyFirstLoopbackAllowed = (address: string) => address !== '127.0.0.1' && isNonPublicAddress(address)

describe('pinned fetch for custom provider URLs', () => {
  it.each(['10.0.0.1', '127.0.0.1', '169.254.169.254', '::1', '::ffff:127.0.0.1', 'fd00::1', '100.64.0.1'])(
    'refuses a name that resolves to %s, without saying where',
    async (address) => {
      const send = createPinnedFetch({ lookup: answering(address) })
      const error = await providerRefusal(send('https://sso.example.test/token', { method: 'POST' }))
      expect(shown(error)).not.toContain(address)
      expect(shown(error)).not.toContain('sso.example.test')
    },
  )

  it('refuses a name with one private address among public ones', async () => {
    const send = createPinnedFetch({ lookup: answering('93.184.216.34', '2606:4700::1111', '10.1.2.3') })
    await providerRefusal(send('https://api.example.test/v1', {}))
  })

  it('lets a name through that resolves to allowed addresses only, asking for its host, and connects there', async () => {
    const server = await listenOn('127.0.0.1')
    const lookup = answering('127.0.0.1')
    const send = createPinnedFetch({ lookup, isRefused: onlyFirstLoopbackAllowed })
    const response = await send(`http://API.example.test:${server.port}/v1?q=1`, {})
    expect(await response.json()).toEqual({ served: '127.0.0.1' })
    expect(lookup.asked).toEqual(['api.example.test'])
  })

  it('refuses when the name does not resolve, or resolves to nothing, without saying which', async () => {
    const failing = createPinnedFetch({
      lookup: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND sso.example.test'), { code: 'ENOTFOUND' })
      },
    })
    const error = await providerRefusal(failing('https://sso.example.test/token', {}))
    expect(error.message).not.toContain('ENOTFOUND')
    expect(error.message).not.toContain('sso.example.test')
    await providerRefusal(createPinnedFetch({ lookup: answering() })('https://sso.example.test/', {}))
  })

  it('classifies IP literals without DNS: private refused, allowed ones connected to', async () => {
    const lookup = answering('93.184.216.34')
    const send = createPinnedFetch({ lookup })
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[fe80::1]/',
      'https://0.0.0.0/',
      'https://2130706433/', // 127.0.0.1, as the URL parser reads it
    ]) {
      const error = await providerRefusal(send(url, {}))
      expect(shown(error), url).not.toMatch(/169\.254|::1|fe80|0\.0\.0\.0|127\.0\.0\.1|2130706433/)
    }
    const server = await listenOn('127.0.0.1')
    const allowing = createPinnedFetch({ lookup, isRefused: onlyFirstLoopbackAllowed })
    const response = await allowing(`http://127.0.0.1:${server.port}/`, {})
    expect(await response.json()).toEqual({ served: '127.0.0.1' })
    await providerRefusal(allowing(`http://127.0.0.2:${server.port}/`, {}))
    expect(lookup.asked).toEqual([])
  })
})

describe('pinned fetch against DNS rebinding', () => {
  /** An allowed server on 127.0.0.1 and a refused one on 127.0.0.2, on the same port. */
  async function allowedAndRefused(): Promise<{ allowed: LocalServer; refused: LocalServer }> {
    const allowed = await listenOn('127.0.0.1')
    const refused = await listenOn('127.0.0.2', allowed.port)
    return { allowed, refused }
  }

  it('connects to exactly the address it checked, with one resolution per connection', async () => {
    const { allowed, refused } = await allowedAndRefused()
    // A rebinding name: the first answer passes the check, every later one points elsewhere.
    const lookup = answeringInTurn(['127.0.0.1'], ['127.0.0.2'])
    const send = createPinnedFetch({ lookup, isRefused: onlyFirstLoopbackAllowed })

    const response = await send(`http://rebind.example.test:${allowed.port}/token`, { method: 'POST' })
    expect(await response.json()).toEqual({ served: '127.0.0.1' })
    expect(lookup.asked).toEqual(['rebind.example.test'])
    expect(allowed.requests).toBe(1)
    expect(refused.connections).toBe(0)
  })

  it('checks again at each new connection: a name rebound to a refused address is refused, and that address is never contacted', async () => {
    const { allowed, refused } = await allowedAndRefused()
    const lookup = answeringInTurn(['127.0.0.1'], ['127.0.0.2'])
    const send = createPinnedFetch({ lookup, isRefused: onlyFirstLoopbackAllowed })
    const url = `http://rebind.example.test:${allowed.port}/userinfo`

    expect(await (await send(url, {})).json()).toEqual({ served: '127.0.0.1' })
    // The server closed that connection: the next call connects, and so resolves, again.
    const error = await providerRefusal(send(url, {}))
    expect(shown(error)).not.toMatch(/rebind|example\.test|127\.0\.0\.2/)
    expect(lookup.asked).toEqual(['rebind.example.test', 'rebind.example.test'])
    expect(allowed.connections).toBe(1)
    expect(refused.connections).toBe(0)
  })

  it('refuses a connection when any address of one answer is refused, contacting none of them', async () => {
    const { allowed, refused } = await allowedAndRefused()
    const lookup = answering('127.0.0.1', '127.0.0.2')
    const send = createPinnedFetch({ lookup, isRefused: onlyFirstLoopbackAllowed })
    await providerRefusal(send(`http://rebind.example.test:${allowed.port}/`, {}))
    expect(lookup.asked).toHaveLength(1)
    expect(allowed.connections + refused.connections).toBe(0)
  })
})

describe('pinned fetch, otherwise like fetch', () => {
  it('keeps the caller’s redirect and timeout settings', async () => {
    const hits: string[] = []
    const server = createServer((req, res) => {
      hits.push(req.url ?? '')
      if (req.url === '/hang') return
      res.writeHead(307, { location: '/elsewhere' }).end()
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://api.example.test:${(server.address() as AddressInfo).port}`
    const send = createPinnedFetch({ lookup: answering('127.0.0.1'), isRefused: onlyFirstLoopbackAllowed })

    await expect(send(`${url}/token`, { method: 'POST', redirect: 'error' })).rejects.toThrow(TypeError)
    const manual = await send(`${url}/api`, { redirect: 'manual' })
    expect(manual.status).toBe(307)
    const started = Date.now()
    await expect(send(`${url}/hang`, { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({
      name: 'TimeoutError',
    })
    expect(Date.now() - started).toBeLessThan(2000)
    expect(hits).toEqual(['/token', '/api', '/hang'])
  })
})
