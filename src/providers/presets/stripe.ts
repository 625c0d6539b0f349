import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Stripe Connect OAuth (Standard accounts, Stripe extensions). `clientId` is the platform's
 * `ca_…` id, `clientSecret` the platform's secret API key (`sk_…`). The token response names the
 * connected account (`stripe_user_id`); there is no profile endpoint and no email. Tokens do not
 * expire. Stripe's deauthorize endpoint is not RFC 7009, so revoking only forgets the tokens here.
 *
 * @example providers.stripe({ clientId: 'ca_…', clientSecret: process.env.STRIPE_SECRET_KEY! })
 */
export function stripe(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'stripe',
    name: 'Stripe',
    authorizationUrl: 'https://connect.stripe.com/oauth/authorize',
    tokenUrl: 'https://connect.stripe.com/oauth/token',
    apiBaseUrl: 'https://api.stripe.com',
    scopes: ['read_write'],
    profile: (_info, tokens) => ({ accountId: text(tokens.stripe_user_id), accountEmail: null }),
    details: async ({ tokens }) => ({
      metadata: {
        stripeUserId: text(tokens.stripe_user_id),
        livemode: tokens.livemode === true || tokens.livemode === 'true',
        publishableKey: text(tokens.stripe_publishable_key),
      },
    }),
    docsUrl: 'https://docs.stripe.com/connect/oauth-reference',
    quirks: [
      "client secret is the platform's secret API key",
      'connected account (stripe_user_id) from the token response; no email',
      'livemode in metadata',
      'tokens do not expire',
      'deauthorize is not RFC 7009: not called on revoke',
    ],
  })
}
