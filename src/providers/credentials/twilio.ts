import { text } from '../preset.js'
import type { CredentialsProvider } from '../types.js'
import { checkRequest, credentials } from './define.js'

export interface TwilioOptions {
  /** Default https://api.twilio.com. */
  baseUrl?: string
  id?: string
}

/**
 * A Twilio account, connected with its Account SID and Auth Token and checked by reading the
 * account. API calls use HTTP Basic with the two.
 *
 * @example providers.twilio() // POST /connections { provider: 'twilio', credentials: { accountSid, authToken } }
 */
export function twilio(options: TwilioOptions = {}): CredentialsProvider {
  const base = (options.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '')
  return credentials({
    id: options.id ?? 'twilio',
    name: 'Twilio',
    apiBaseUrl: base,
    fields: {
      accountSid: { label: 'Account SID', pattern: /^AC[0-9a-fA-F]{32}$/ },
      authToken: { label: 'Auth token', pattern: /^[0-9a-zA-Z]{32}$/ },
    },
    async check({ accountSid = '', authToken = '' }, { timeoutMs }) {
      const basic = Buffer.from(`${accountSid}:${authToken}`).toString('base64')
      const { body } = await checkRequest('Twilio', `${base}/2010-04-01/Accounts/${accountSid}.json`, {
        headers: { authorization: `Basic ${basic}` },
        timeoutMs,
      })
      const name = text(body.friendly_name)
      return {
        accountId: text(body.sid) ?? accountSid,
        displayName: name,
        ...(name ? { label: name } : {}),
        metadata: { status: text(body.status) },
        credential: { accessToken: basic, tokenType: 'Basic' },
      }
    },
    docsUrl: 'https://www.twilio.com/docs/usage/api#authenticate-with-http',
    quirks: ['Account SID + Auth Token checked by reading the account', 'HTTP Basic on API calls'],
  })
}
