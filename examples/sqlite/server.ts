import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import KeyvSqlite from '@keyv/sqlite'
import express from 'express'
import { createConnectionsRouter, providers } from 'express-connections'
import Keyv from 'keyv'

mkdirSync('.data', { recursive: true })
const store = new Keyv({
  store: new KeyvSqlite('sqlite://.data/sqlite-example.sqlite'),
  namespace: 'connections',
})

const encryptionKey = process.env.CONNECTIONS_KEY ?? randomBytes(32).toString('base64')
if (!process.env.CONNECTIONS_KEY) {
  console.warn(
    'CONNECTIONS_KEY is not set: using a key made up for this run, so what you store now cannot be\n' +
      'decrypted after a restart. Make one with:\n' +
      "  node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\"",
  )
}

const app = express()
app.use((req, _res, next) => {
  // Your own login goes here: the router reads the owner from req.user.id by default.
  Object.assign(req, { user: { id: 'demo-user' } })
  next()
})
app.use(
  '/integrations',
  createConnectionsRouter({
    store,
    encryptionKey,
    providers: [
      // Checked locally, so the example needs no internet: any key starting with `demo_` is accepted.
      providers.apiKey({
        id: 'demo',
        name: 'Demo API',
        validate: async (key) => (key.startsWith('demo_') ? { accountId: key.slice(-4) } : false),
      }),
    ],
  }),
)

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  const base = `http://localhost:${(server.address() as AddressInfo).port}/integrations`
  console.log(`Listening on ${base} (connections in .data/sqlite-example.sqlite). Try:
  curl -X POST ${base}/connections -H 'content-type: application/json' \\
       -d '{"provider":"demo","credentials":{"apiKey":"demo_0123456789"}}'
  curl ${base}/connections
then restart with the same CONNECTIONS_KEY and list again: the connection is still there.`)
})
