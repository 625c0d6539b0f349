import express from 'express'
import { createConnectionsRouter, providers } from 'express-connections'
import Keyv from 'keyv'

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
      providers.github({
        clientId: process.env.GITHUB_CLIENT_ID ?? '',
        clientSecret: process.env.GITHUB_CLIENT_SECRET ?? '',
      }),
    ],
  }),
)
const port = Number(process.env.PORT ?? 3000)
app.listen(port, () => console.log(`Connect at http://localhost:${port}/integrations/connect/github`))
