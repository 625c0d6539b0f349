import express from 'express'
import { createConnectionsRouter, providers } from 'express-connections'
import Keyv from 'keyv'

const app = express()
app.use((req, _res, next) => {
  // Your own login goes here: the router reads the owner from req.user.id by default.
  Object.assign(req, { user: { id: 'demo-user' } })
  next()
})
app.use(
  '/integrations',
  createConnectionsRouter({
    store: new Keyv(), // in memory; @keyv/sqlite, @keyv/redis or @keyv/postgres in production
    encryptionKey: process.env.CONNECTIONS_KEY ?? '', // 32 bytes, base64 or hex
    providers: [
      providers.oauth2({
        id: 'acme',
        authorizationUrl: 'https://auth.acme.example/oauth/authorize',
        tokenUrl: 'https://auth.acme.example/oauth/token',
        userInfoUrl: 'https://api.acme.example/me',
        clientId: process.env.ACME_CLIENT_ID ?? '',
        clientSecret: process.env.ACME_CLIENT_SECRET ?? '',
        scopes: ['read'],
      }),
    ],
  }),
)
app.listen(3000, () => console.log('Connect at http://localhost:3000/integrations/connect/acme'))
