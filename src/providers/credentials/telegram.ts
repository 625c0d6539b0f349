import { InvalidCredentialsError } from '../../core/errors.js'
import { record, text } from '../preset.js'
import { TELEGRAM_TOOLS } from '../tools/telegram.js'
import type { CredentialsProvider } from '../types.js'
import { checkRequest, credentials } from './define.js'

export interface TelegramOptions {
  /** Default https://api.telegram.org (a local Bot API server, or a test fake, elsewhere). */
  baseUrl?: string
  id?: string
}

/**
 * A Telegram bot, connected with its token from @BotFather and checked with `getMe`. One bot per
 * owner: connecting again replaces the token. The label defaults to "Telegram @username".
 *
 * @example providers.telegram() // then POST /connections/telegram { botToken }
 */
const TELEGRAM_READ_METHODS = [
  'getMe',
  'getChat',
  'getChatAdministrators',
  'getChatMember',
  'getChatMemberCount',
  'getChatMenuButton',
  'getFile',
  'getMyCommands',
  'getMyDefaultAdministratorRights',
  'getMyDescription',
  'getMyName',
  'getMyShortDescription',
  'getUserProfilePhotos',
  'getWebhookInfo',
]

export function telegram(options: TelegramOptions = {}): CredentialsProvider {
  const base = (options.baseUrl ?? 'https://api.telegram.org').replace(/\/+$/, '')
  return credentials({
    id: options.id ?? 'telegram',
    name: 'Telegram',
    singleton: true,
    apiBaseUrl: base,
    fields: { botToken: { label: 'Bot token', pattern: /^\d{3,20}:[A-Za-z0-9_-]{30,100}$/ } },
    async check({ botToken = '' }, { timeoutMs }) {
      // The Bot API answers 401 {"ok":false,"error_code":401,"description":"Unauthorized"} for a bad token.
      const { body } = await checkRequest('Telegram', `${base}/bot${botToken}/getMe`, {
        timeoutMs,
        refusedWith: [401, 404],
      })
      const bot = record(body.result)
      if (body.ok !== true || bot.is_bot !== true)
        throw new InvalidCredentialsError('Telegram says this is not a bot token.')
      const username = text(bot.username)
      const firstName = text(bot.first_name)
      return {
        accountId: text(bot.id),
        displayName: firstName,
        ...(username ? { label: `Telegram @${username}` } : {}),
        metadata: { username, firstName },
        credential: { accessToken: botToken, tokenType: 'Bot' },
      }
    },
    // The Bot API takes the token in the path: https://api.telegram.org/bot<token>/<method>.
    requestAuth: ({ accessToken }) => ({ baseUrl: `${base}/bot${accessToken}` }),
    // "We support GET and POST HTTP methods" for every method (https://core.telegram.org/bots/api#making-requests,
    // read 2026-12-07): a GET can send, so only these `get*` methods read. Not getUpdates: with an
    // offset it confirms (consumes) updates.
    family: 'telegram',
    readsOnlyDeclared: true,
    reads: TELEGRAM_READ_METHODS.map((method) => ({ method: '*', path: `/${method}` })),
    tools: TELEGRAM_TOOLS,
    docsUrl: 'https://core.telegram.org/bots/api#authorizing-your-bot',
    quirks: [
      'checked with getMe',
      'singleton per owner',
      'label defaults to Telegram @username',
      'token in the API path',
    ],
  })
}
