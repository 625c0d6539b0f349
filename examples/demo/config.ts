import { resolve } from 'node:path'

export interface DemoConfig {
  /** The host app's port (0: any free port). */
  port: number
  /** The local OAuth provider's port (0: any free port). */
  oauthPort: number
  /** Where the SQLite files and the generated encryption key live. */
  dataDir: string
  /** CONNECTIONS_KEY, when set; otherwise a key is generated once and kept in `dataDir`. */
  encryptionKey: string | undefined
  /** The rest of the environment: real providers' client ids and secrets. */
  env: NodeJS.ProcessEnv
}

function portFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number`)
  return port
}

/** PORT (3000), OAUTH_PORT (3001), DATA_DIR (./.data), CONNECTIONS_KEY, and the providers' variables. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  return {
    port: portFrom(env.PORT, 3000, 'PORT'),
    oauthPort: portFrom(env.OAUTH_PORT, 3001, 'OAUTH_PORT'),
    dataDir: resolve(env.DATA_DIR || '.data'),
    encryptionKey: env.CONNECTIONS_KEY || undefined,
    env,
  }
}
