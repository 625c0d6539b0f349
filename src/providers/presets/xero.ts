import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

const API = 'https://api.xero.com/api.xro/2.0'

/**
 * Xero accounting. A consent can cover several organisations (tenants); GET /connections lists them
 * and every API call names one in the `xero-tenant-id` header. The first organisation lands in the
 * connection's metadata (`tenantId`, `tenantName`, all of them in `tenants`). Access tokens last 30
 * minutes; refresh tokens rotate on every use.
 *
 * Apps created since 2026-03-02 can no longer ask for the broad `accounting.transactions`: the
 * default asks for the granular `accounting.invoices`; name the others your app needs
 * (`accounting.payments`, `accounting.banktransactions`, `accounting.manualjournals`, …).
 *
 * @example providers.xero({ clientId, clientSecret, scopes: ['openid', 'profile', 'email', 'offline_access', 'accounting.invoices', 'accounting.contacts'] })
 */
export function xero(options: PresetOptions): OAuth2Provider {
  const api = options.endpoints?.apiBaseUrl ?? API
  return preset(options, {
    id: 'xero',
    name: 'Xero',
    authorizationUrl: 'https://login.xero.com/identity/connect/authorize',
    tokenUrl: 'https://identity.xero.com/connect/token',
    userInfoUrl: 'https://identity.xero.com/connect/userinfo',
    revocationUrl: 'https://identity.xero.com/connect/revocation',
    apiBaseUrl: API,
    // accounting.transactions is refused (invalid_scope) for apps created since 2026-03-02; the granular
    // scopes replace it. https://developer.xero.com/documentation/oauth2/scopes and
    // https://www.apideck.com/blog/xero-scopes (read 2026-12-07)
    scopes: ['openid', 'profile', 'email', 'offline_access', 'accounting.invoices'],
    tokenAuth: 'client_secret_basic',
    // Every API call names its organisation; the caller may name another one of the consent's tenants.
    connectionHeaders: (metadata): Record<string, string> => {
      const tenantId = text(metadata.tenantId)
      return tenantId ? { 'xero-tenant-id': tenantId } : {}
    },
    profile: (info) => {
      const fullName = [text(info.given_name), text(info.family_name)].filter(Boolean).join(' ')
      return {
        accountId: text(info.xero_userid) ?? text(info.sub),
        accountEmail: text(info.email),
        displayName: text(info.name) ?? (fullName || null),
      }
    },
    details: async ({ fetchJson }) => {
      // The tenant lookup lives beside the API (https://api.xero.com/connections), wherever it points.
      const answer = await fetchJson(new URL('/connections', api).toString())
      const tenants = (Array.isArray(answer) ? answer : []).map((entry) => {
        const tenant = record(entry)
        return {
          tenantId: text(tenant.tenantId),
          tenantName: text(tenant.tenantName),
          tenantType: text(tenant.tenantType),
        }
      })
      const first = tenants.find((t) => t.tenantType === 'ORGANISATION') ?? tenants[0]
      return {
        metadata: {
          tenantId: first?.tenantId ?? null,
          tenantName: first?.tenantName ?? null,
          tenants,
        },
      }
    },
    docsUrl: 'https://developer.xero.com/documentation/guides/oauth2/auth-flow',
    quirks: [
      'client authenticates with HTTP Basic',
      'tenants from GET /connections; the first organisation in metadata',
      'xero-tenant-id header on API calls, from the connection',
      'offline_access for a refresh token; refresh tokens rotate',
      '30-minute access tokens',
      'granular scopes (accounting.invoices, …): accounting.transactions is refused for apps created since 2026-03-02',
    ],
  })
}
