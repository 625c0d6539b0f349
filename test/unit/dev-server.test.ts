import { describe, expect, it } from 'vitest'
import { emailOf, loadProvider, MISSING_OIDC_PROVIDER } from '../../src/dev-server/oauth-server.js'

describe('express-connections/dev-server', () => {
  it('says how to install oidc-provider, its optional peer dependency, when it is missing', async () => {
    await expect(loadProvider('oidc-provider-that-is-not-installed')).rejects.toThrow(MISSING_OIDC_PROVIDER)
    expect(MISSING_OIDC_PROVIDER).toContain('npm install -D oidc-provider')
  })

  it('keeps a login name that is already an email as typed', () => {
    expect(emailOf('ana@example.com')).toBe('ana@example.com')
    expect(emailOf('ana')).toBe('ana@example.com')
  })
})
