import type { Connection } from './model.js'

export type ConnectionEventType =
  | 'connection.created'
  | 'connection.refreshed'
  | 'connection.refresh_failed'
  | 'connection.revoked'
  | 'connection.reauthorized'
  | 'connection.updated'

/** What the `onEvent` hook receives. The connection is the public view: no token, no secret. */
export interface ConnectionEvent {
  type: ConnectionEventType
  owner: string
  connection: Connection
  at: string
}

export type EventHandler = (event: ConnectionEvent) => void | Promise<void>
