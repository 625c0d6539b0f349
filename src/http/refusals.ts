import type { Action } from './context.js'

/** The 403 message when `authorize` refuses an action: one plain sentence per action. */
export const REFUSED: Readonly<Record<Action, string>> = {
  list: 'This caller may not list connections.',
  read: 'This caller may not read this connection.',
  connect: 'This caller may not connect this provider.',
  update: 'This caller may not change this connection.',
  revoke: 'This caller may not revoke this connection.',
  reauth: 'This caller may not reconnect this connection.',
  token: 'This caller may not read tokens of this connection.',
  proxy: "This caller may not call the provider's API through this connection.",
  tool: 'This caller may not run tools on this connection.',
  admin: 'This caller may not manage custom providers.',
  agents: 'This caller may not manage agents.',
  policies: 'This caller may not manage policies.',
  approvals: 'This caller may not decide approvals.',
}
