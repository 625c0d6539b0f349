import express, { type Request, type Router } from 'express'
import type { Connection, ConnectionsApi } from 'express-connections'
import { currentUser } from './login.js'
import { PROFILE_PATHS, PROVIDER_NOTES, unconfiguredProviders } from './providers.js'
import { type Banner, settingsPage } from './settings-page.js'

const NOTICES: Record<string, string> = {
  relabeled: 'Label saved.',
  revoked: 'Connection revoked: its tokens were deleted here and revoked at the provider.',
}

const param = (req: Request, name: string, max: number): string | undefined => {
  const value = req.query[name]
  return typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined
}

/** What the return URL says happened: the router adds `connection_id` or `error` and `error_description`. */
function bannerFor(req: Request, connections: Connection[]): Banner | null {
  const error = param(req, 'error', 100)
  if (error) {
    const description = param(req, 'error_description', 300)
    return { kind: 'error', text: `Could not connect: ${description ?? 'the provider refused'} (${error})` }
  }
  const id = param(req, 'connection_id', 100)
  const connected = connections.find((c) => c.id === id)
  const notice = param(req, 'notice', 20)
  if (connected) {
    const account = connected.accountEmail ?? connected.label
    const verb = notice === 'reconnected' ? 'Reconnected' : 'Connected'
    return { kind: 'success', text: `${verb} ${connected.providerName} as ${account}.` }
  }
  const message = NOTICES[notice ?? '']
  return message ? { kind: 'success', text: message } : null
}

/** GET /settings: the connections screen, rendered from the router's server-side API. */
export function settingsRoutes(connections: ConnectionsApi, appUrl: string, env: NodeJS.ProcessEnv): Router {
  const router = express.Router()
  router.get('/', (req, res) => {
    res.redirect(302, currentUser(req) ? '/settings' : '/login')
  })
  router.get('/settings', async (req, res, next) => {
    const user = currentUser(req)
    if (!user) return res.redirect(302, '/login')
    try {
      const [providers, list] = await Promise.all([connections.providers(user.id), connections.list(user.id)])
      const page = settingsPage({
        user,
        providers,
        connections: list,
        banner: bannerFor(req, list),
        profilePaths: PROFILE_PATHS,
        notes: PROVIDER_NOTES,
        callbackBase: `${appUrl}/integrations/callback/`,
        unconfigured: unconfiguredProviders(env),
      })
      res.set('cache-control', 'no-store').type('html').send(page.value)
    } catch (error) {
      next(error)
    }
  })
  return router
}
