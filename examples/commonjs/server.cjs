// The same router from CommonJS: `require` loads the package's CommonJS build.
// (This repository's package.json says "type": "module", hence .cjs; in a CommonJS app, server.js.)
const { randomBytes } = require('node:crypto')
const express = require('express')
const { createConnectionsRouter, providers } = require('express-connections')
const { Keyv } = require('keyv')

const app = express()
app.use((req, _res, next) => {
  // Your own login goes here: the router reads the owner from req.user.id by default.
  req.user = { id: 'demo-user' }
  next()
})
app.use(
  '/integrations',
  createConnectionsRouter({
    store: new Keyv(), // in memory: gone on restart, so a key made up for this run is enough
    encryptionKey: process.env.CONNECTIONS_KEY || randomBytes(32).toString('base64'),
    providers: [
      providers.oauth2({
        id: 'acme',
        name: 'Acme',
        authorizationUrl: 'https://auth.acme.example/oauth/authorize',
        tokenUrl: 'https://auth.acme.example/oauth/token',
        userInfoUrl: 'https://api.acme.example/me',
        clientId: process.env.ACME_CLIENT_ID || 'acme-client-id',
        clientSecret: process.env.ACME_CLIENT_SECRET || 'acme-client-secret',
        scopes: ['read'],
      }),
    ],
  }),
)

const server = app.listen(Number(process.env.PORT || 3000), () => {
  const base = `http://localhost:${server.address().port}/integrations`
  console.log(`Listening on ${base}
  providers: curl ${base}/providers
  connect:   open ${base}/connect/acme (redirects to Acme's consent screen)`)
})
