import type { Router } from 'express'
import type { Connection } from '../core/model.js'
import { actorOf, type HttpContext, parse, requireAllowed, requireOwner } from './context.js'
import { handle } from './handle.js'
import { rateLimited } from './rate-limit.js'
import { telegramBody } from './schemas.js'

const TELEGRAM = 'telegram'

/**
 * `POST /connections/telegram { botToken, label? }`: the shape agents already send for a bot (it is
 * `POST /connections { provider: 'telegram', credentials: { botToken } }`), answered with the bot.
 */
export function mountTelegramRoute(router: Router, ctx: HttpContext): void {
  router.post(
    `/connections/${TELEGRAM}`,
    rateLimited(ctx, 'credentials'),
    handle(async (req, res) => {
      const owner = await requireOwner(ctx, req)
      const { botToken, label } = parse(telegramBody, req.body)
      await requireAllowed(ctx, { req, owner, action: 'connect', provider: TELEGRAM })
      const connection = await ctx.service.connectWithCredentials(
        owner,
        { provider: TELEGRAM, credentials: { botToken }, label },
        await actorOf(ctx, req, owner),
      )
      const botInfo = botInfoOf(connection)
      const name = botInfo.username ? `@${botInfo.username}` : connection.label
      res.status(201).json({
        data: { connection, botInfo, message: `Telegram bot ${name} connected as "${connection.label}".` },
      })
    }),
  )
}

function botInfoOf(connection: Connection) {
  const { username, firstName } = connection.metadata
  return {
    id: Number(connection.accountId),
    username: typeof username === 'string' ? username : null,
    firstName: typeof firstName === 'string' ? firstName : null,
  }
}
