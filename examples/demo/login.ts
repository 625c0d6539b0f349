import express, { type Request, type RequestHandler, type Router } from 'express'
import session from 'express-session'
import type Keyv from 'keyv'
import { loginPage } from './login-page.js'
import { KeyvSessionStore } from './session-store.js'

export interface DemoUser {
  /** The owner of the user's connections. */
  id: string
  name: string
}

declare module 'express-session' {
  interface SessionData {
    user?: DemoUser
  }
}

/**
 * The host app's own session: its cookie says who is signed in. The connections router runs with
 * `session: false` and keeps the OAuth flow's browser binding in this same session, so the browser
 * carries one cookie, and the callback is checked against the session of the user who started it.
 */
export function hostSession(store: Keyv, secret: string): RequestHandler {
  return session({
    name: 'demo.sid',
    secret,
    store: new KeyvSessionStore(store),
    resave: false,
    saveUninitialized: false,
    // Lax: the provider's redirect back to the callback is a top-level GET from another site.
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: 7 * 24 * 60 * 60 * 1000 },
  })
}

export function currentUser(req: Request): DemoUser | undefined {
  return req.session?.user
}

/** Anyone can sign in with any name: a stand-in for the host's real login. */
export function loginRoutes(): Router {
  const router = express.Router()
  router.get('/login', (req, res) => {
    if (currentUser(req)) return res.redirect(303, '/settings')
    res.type('html').send(loginPage().value)
  })
  router.post('/login', express.urlencoded({ extended: false, limit: '2kb' }), (req, res, next) => {
    const body: unknown = req.body
    const raw = typeof body === 'object' && body !== null && 'name' in body ? body.name : undefined
    const name = typeof raw === 'string' ? raw.trim() : ''
    if (name.length < 1 || name.length > 40) {
      return res.status(400).type('html').send(loginPage('Enter a name of 1 to 40 characters.').value)
    }
    // A new session id at sign-in, so that an id planted before it is worth nothing.
    req.session.regenerate((err) => {
      if (err) return next(err)
      req.session.user = { id: name.toLowerCase(), name }
      req.session.save((saveErr) => (saveErr ? next(saveErr) : res.redirect(303, '/settings')))
    })
  })
  router.post('/logout', (req, res, next) => {
    req.session.destroy((err) => {
      if (err) return next(err)
      res.clearCookie('demo.sid').redirect(303, '/login')
    })
  })
  return router
}
