/**
 * `npm run demo`: the bundled OAuth provider and the example app, on localhost. Configured by
 * environment variables (see README.md beside this file); nothing here needs the internet.
 */
import { configFromEnv } from './config.js'
import { type Demo, startDemo } from './demo.js'

const config = configFromEnv()

let demo: Demo
try {
  demo = await startDemo(config)
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code
  console.error(
    code === 'EADDRINUSE'
      ? `A port is in use: set PORT (now ${config.port}) or OAUTH_PORT (now ${config.oauthPort}) to a free one.`
      : error,
  )
  process.exit(1)
}

const real = demo.providers.filter((id) => id !== 'local')
console.log(`
  express-connections demo

  Open ${demo.url} and sign in with any name.

  Local OAuth provider   ${demo.oauthUrl} (any login name, any password)
  Other providers        ${real.length > 0 ? real.join(', ') : 'none: set GOOGLE_CLIENT_ID/_SECRET and others (examples/demo/README.md)'}
  Data                   ${config.dataDir}${config.encryptionKey ? '' : ' (encryption key generated there on the first run)'}

  Ctrl+C to stop.
`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}
