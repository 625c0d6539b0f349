import { describe, expect, it } from 'vitest'
import { ConnectionsError } from '../../src/core/errors.js'
import { createResolveGuard, type LookupAll } from '../../src/core/resolve-guard.js'

/** A lookup that answers the given addresses for any name, and records which names it was asked. */
function answering(...addresses: string[]): LookupAll & { asked: string[] } {
  const asked: string[] = []
  const lookup = async (hostname: string) => {
    asked.push(hostname)
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
  }
  return Object.assign(lookup, { asked })
}

async function refusal(guard: (url: string) => Promise<void>, url: string): Promise<ConnectionsError> {
  const error = await guard(url).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConnectionsError)
  return error as ConnectionsError
}

describe('resolve guard for custom provider URLs', () => {
  it.each(['10.0.0.1', '127.0.0.1', '169.254.169.254', '::1', '::ffff:127.0.0.1', 'fd00::1', '100.64.0.1'])(
    'refuses a name that resolves to %s, without saying where',
    async (address) => {
      const error = await refusal(createResolveGuard(answering(address)), 'https://sso.example.test/token')
      expect(error.code).toBe('provider_error')
      expect(error.message).not.toContain(address)
      expect(error.message).not.toContain('sso.example.test')
    },
  )

  it('refuses a name with one private address among public ones', async () => {
    const guard = createResolveGuard(answering('93.184.216.34', '2606:4700::1111', '10.1.2.3'))
    expect((await refusal(guard, 'https://api.example.test/v1')).code).toBe('provider_error')
  })

  it('lets a name through that resolves to public addresses only, asking for its host', async () => {
    const lookup = answering('93.184.216.34', '2606:4700::1111')
    await expect(createResolveGuard(lookup)('https://API.example.test:8443/v1?q=1')).resolves.toBeUndefined()
    expect(lookup.asked).toEqual(['api.example.test'])
  })

  it('refuses when the name does not resolve, or resolves to nothing', async () => {
    const failing = createResolveGuard(async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND sso.example.test'), { code: 'ENOTFOUND' })
    })
    const error = await refusal(failing, 'https://sso.example.test/token')
    expect(error.code).toBe('provider_error')
    expect(error.message).not.toContain('ENOTFOUND')
    expect((await refusal(createResolveGuard(answering()), 'https://sso.example.test/')).code).toBe(
      'provider_error',
    )
  })

  it('classifies IP literals without DNS: private refused, public allowed', async () => {
    const lookup = answering('93.184.216.34')
    const guard = createResolveGuard(lookup)
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[fe80::1]/',
      'https://0.0.0.0/',
      'https://2130706433/', // 127.0.0.1, as the URL parser reads it
    ]) {
      expect((await refusal(guard, url)).code).toBe('provider_error')
    }
    await expect(guard('https://93.184.216.34/')).resolves.toBeUndefined()
    await expect(guard('https://[2606:4700::1111]/')).resolves.toBeUndefined()
    expect(lookup.asked).toEqual([])
  })
})
