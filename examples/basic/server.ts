import express from 'express'
import { createConnectionsRouter, providers } from 'express-connections'
import Keyv from 'keyv'

const oauth = process.env.OAUTH_URL ?? 'http://127.0.0.1:3001' // npx express-connections-dev-oauth
const app = express()
app.use((req, _res, next) => {
  Object.assign(req, { user: { id: 'demo-user' } }) // your own login: the owner is req.user.id
  next()
})
app.use(
  '/integrations',
  createConnectionsRouter({
    store: new Keyv(), // in memory; @keyv/sqlite, @keyv/redis or @keyv/postgres in production
    encryptionKey: process.env.CONNECTIONS_KEY ?? '', // 32 bytes, base64 or hex
    providers: [
      providers.oauth2({
        id: 'local',
        name: 'Local OAuth',
        authorizationUrl: `${oauth}/auth`,
        tokenUrl: `${oauth}/token`,
        userInfoUrl: `${oauth}/me`,
        clientId: 'dev-client',
        clientSecret: 'dev-client-secret',
        scopes: ['openid', 'email'],
      }),
      // a real provider is one more entry: providers.github({ clientId, clientSecret }), …
    ],
  }),
)
const port = Number(process.env.PORT ?? 3000)
app.listen(port, () => console.log(`Connect at http://localhost:${port}/integrations/connect/local`))
