import { z } from 'zod'
import type { ToolDefinition } from './tool-definition.js'
import type { PolicyFacts } from './types.js'

/** What a provider definition may state for agent policies (AGENTS.md, "Policies"); all default to nothing. */
export interface PolicyFactsOptions {
  /** Which constraint checker applies (`teams` for Microsoft Graph). Default: none. */
  family?: PolicyFacts['family']
  /** The scopes that only read: a token carrying only these can be vended under `read_only`. */
  readOnlyScopes?: string[]
  /** Endpoints that read although their method is not GET/HEAD (`{ method: '*', path: '/users.info' }`). */
  reads?: PolicyFacts['reads']
  /** The API runs writes by GET too (an RPC API): then only `reads` are reads. */
  readsOnlyDeclared?: boolean
  /** The tools an agent can run on a connection of this provider (see tool-definition.ts). */
  tools?: ToolDefinition[]
}

/** The zod fields of {@link PolicyFactsOptions}, for a provider definition's schema. */
export const policyFactsFields = {
  family: z.enum(['telegram', 'slack', 'teams']).nullable().default(null),
  readOnlyScopes: z.array(z.string().min(1)).default([]),
  reads: z.array(z.strictObject({ method: z.string().min(1), path: z.string().startsWith('/') })).default([]),
  readsOnlyDeclared: z.boolean().default(false),
  // Checked against their JSON Schema by tools/ when the router starts; here only their container.
  tools: z
    .array(z.custom<ToolDefinition>((value) => typeof value === 'object' && value !== null))
    .default([]),
}

export function policyFactsOf(o: PolicyFacts): PolicyFacts {
  return {
    family: o.family,
    readOnlyScopes: o.readOnlyScopes,
    reads: o.reads,
    readsOnlyDeclared: o.readsOnlyDeclared,
    tools: o.tools,
  }
}
