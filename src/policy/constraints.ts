import type { AgentCall, ProviderConstraints, ProviderFamily } from './model.js'
import { checkSlack } from './slack.js'
import { checkTeams } from './teams.js'
import { checkTelegram } from './telegram.js'

/**
 * Null when the call keeps to the policy's provider constraints; otherwise why not. Fails closed:
 * a constraint for another family than the connection's, a vended token (model A: it could be used
 * on anything afterwards), a tool run with no HTTP request to read (a remote MCP tool), and a request
 * the family's checker cannot read are all refused. No constraint: null.
 */
export function checkConstraints(constraints: ProviderConstraints, call: AgentCall): string | null {
  const families = (Object.keys(constraints) as ProviderFamily[]).filter((f) => constraints[f] !== undefined)
  if (families.length === 0) return null
  if (families.some((family) => family !== call.connection.family))
    return `The policy constrains ${families.join(', ')} calls, and this connection is not of that kind.`
  if (call.model === 'A') return 'A vended token cannot be held to provider constraints.'
  const request = call.request ?? null
  if (!request) return 'This tool makes no HTTP request that the provider constraints could read.'
  const { telegram, slack, teams } = constraints
  if (telegram) return checkTelegram(telegram, request)
  if (slack) return checkSlack(slack, request)
  if (teams) return checkTeams(teams, request, call.connection.tenantId)
  return null
}
