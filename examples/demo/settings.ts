import express, { type Router } from 'express'
import type { UiScript } from 'express-connections'
import { currentUser } from './login.js'
import { unconfiguredProviders } from './providers.js'
import { settingsPage } from './settings-page.js'

/** GET /settings: the host's page around the router's `<connections-panel>`. */
export function settingsRoutes(ui: UiScript, appUrl: string, env: NodeJS.ProcessEnv): Router {
  const router = express.Router()
  router.get('/', (req, res) => {
    res.redirect(302, currentUser(req) ? '/settings' : '/login')
  })
  router.get('/settings', (req, res) => {
    const user = currentUser(req)
    if (!user) return res.redirect(302, '/login')
    const page = settingsPage({
      user,
      ui,
      callbackBase: `${appUrl}/integrations/callback/`,
      unconfigured: unconfiguredProviders(env),
    })
    res.set('cache-control', 'no-store').type('html').send(page.value)
  })
  return router
}
