/**
 * Every text the elements show, in English. A page replaces any of them with the `strings` property
 * (`panel.strings = { connect: 'Verbinden' }`); `{name}` placeholders are filled in.
 */
export const defaultStrings = {
  loading: 'Loading…',
  retry: 'Try again',
  loadFailed: 'Could not load: {message}',
  actionFailed: 'That did not work: {message}',
  // connections-panel
  panelTitle: 'Connections',
  providerList: 'Providers',
  connect: 'Connect',
  connectAnother: 'Connect another',
  reconnect: 'Reconnect',
  rename: 'Rename',
  renameLabel: 'New name for {label}',
  save: 'Save',
  cancel: 'Cancel',
  revoke: 'Revoke',
  revokeConfirm: 'Revoke {label}? Its tokens are revoked at {provider}.',
  revokeYes: 'Yes, revoke',
  tools: 'Tools',
  toolsOf: 'Tools of {label}',
  noTools: 'This connection has no tools.',
  toolOn: '{tool} enabled.',
  toolOff: '{tool} disabled.',
  toolDefaults: 'Defaults and pins',
  toolCounts: '{defaults} defaults, {pins} pinned',
  fieldDefault: 'Default for {field}',
  fieldPinned: 'Pin {field} (the agent cannot change it)',
  saveTool: 'Save {tool}',
  saved: 'Saved.',
  connected: 'Connected {provider} ({label}).',
  connectFailed: 'Could not connect: {message}',
  renamed: 'Renamed to {label}.',
  revoked: '{label} revoked.',
  account: 'Account: {account}',
  status_active: 'Active',
  status_needs_reauth: 'Needs reconnecting',
  status_not_connected: 'Not connected',
  status_revoked: 'Revoked',
  // approvals-inbox
  inboxTitle: 'Approvals',
  noApprovals: 'Nothing waits for your approval.',
  approve: 'Approve',
  deny: 'Deny',
  approvalFor: '{agent} asks to use {connection}',
  approvalReason: 'Why: {reason}',
  approvalExpires: 'Expires {time}',
  approved: 'Approved: {summary}',
  denied: 'Denied: {summary}',
  // agent-policies
  policiesTitle: 'Agent policies',
  agent: 'Agent',
  chooseAgent: 'Choose an agent',
  noAgents: 'No agents yet.',
  noPolicies: 'This agent may use no connection yet.',
  policyFor: '{agent} on {connection}',
  models: 'Execution models',
  modelA: 'A: may receive an access token',
  modelB: 'B: calls through the router (the token stays here)',
  mode: 'Mode',
  mode_read_only: 'Read only',
  mode_read_write: 'Read and write',
  stepUp: 'Ask me first',
  stepUp_never: 'Never',
  stepUp_risk_based: 'For writes and destructive calls',
  stepUp_always: 'For every call',
  allowlists: 'Allowlist (one a line: "GET /path/*" or "tool:slug"; empty allows all)',
  rateLimits: 'Rate limits (one a line: "60/minute"; empty: none)',
  timeWindows: 'Time windows (one a line: "mon,tue,wed 09:00-18:00 Europe/Berlin"; empty: any time)',
  providerConstraints: 'Provider constraints (JSON, e.g. {"slack":{"channels":["C123"]}})',
  savePolicy: 'Save policy',
  invalidLine: 'Line {line} of "{field}" is not understood: {text}',
} as const

export type StringKey = keyof typeof defaultStrings
export type Strings = Partial<Record<StringKey, string>>

/** The text for `key`, from the page's overrides first, with `{name}` placeholders filled in. */
export function format(
  overrides: Strings | undefined,
  key: StringKey,
  values: Record<string, string | number> = {},
): string {
  const template = overrides?.[key] ?? defaultStrings[key]
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  )
}
