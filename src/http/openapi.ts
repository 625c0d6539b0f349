import { z } from 'zod'
import {
  agentBody,
  agentParams,
  agentResource,
  agentWithKey,
  approvalListQuery,
  approvalParams,
  approvalResource,
} from './agent-schemas.js'
import { toolPaths } from './openapi-tools.js'
import {
  policyBody,
  policyParams,
  policyQuery,
  policyResource,
  policyRulesBody,
  providerConstraintsBody,
} from './policy-schemas.js'
import {
  auditEntryResource,
  auditQuery,
  connectionParams,
  connectionRefParams,
  connectionResource,
  connectQuery,
  connectQueryParams,
  credentialsBody,
  customMcpProviderBody,
  customProviderBody,
  customProviderResource,
  errorResource,
  labelBody,
  listQuery,
  providerParams,
  providerResource,
  reauthBody,
  revokeBody,
  revokeResult,
  slugParams,
  startBody,
  startResult,
  telegramBody,
  telegramConnected,
  tokenResource,
} from './schemas.js'
import { toolResource, toolRunResult } from './tool-schemas.js'

type JsonSchema = Record<string, unknown>

const resources = {
  Connection: connectionResource,
  Provider: providerResource,
  PendingConnection: startResult,
  AccessToken: tokenResource,
  RevokeResult: revokeResult,
  AuditEntry: auditEntryResource,
  CustomProvider: customProviderResource,
  Agent: agentResource,
  AgentWithKey: agentWithKey,
  Policy: policyResource,
  Approval: approvalResource,
  Tool: toolResource,
  ToolRunResult: toolRunResult,
  TelegramConnected: telegramConnected,
  Error: errorResource,
}

/** The OpenAPI 3.1 document of the router, built from the zod schemas that validate its requests. */
export function buildOpenApi(version: string): JsonSchema {
  const ref = (name: keyof typeof resources) => ({ $ref: `#/components/schemas/${name}` })
  const data = (schema: JsonSchema) => ({
    'application/json': { schema: { type: 'object', properties: { data: schema }, required: ['data'] } },
  })
  const ok = (description: string, schema: JsonSchema, status = '200') => ({
    [status]: { description, content: data(schema) },
    default: { description: 'Error', content: { 'application/json': { schema: ref('Error') } } },
  })
  const body = (schema: z.ZodType) => ({
    required: true,
    content: { 'application/json': { schema: input(schema) } },
  })
  const connection = ref('Connection')
  return {
    openapi: '3.1.0',
    info: { title: 'express-connections', version },
    paths: {
      '/providers': {
        get: { summary: 'Provider catalogue', responses: ok('Providers', array(ref('Provider'))) },
      },
      '/connections': {
        get: {
          summary: "The caller's connections",
          parameters: parameters(listQuery, 'query'),
          responses: ok('Connections', array(connection)),
        },
        post: {
          summary: 'Connect a credentials provider (bot token, API key), checked with the provider first',
          requestBody: body(credentialsBody),
          responses: ok('Connection', connection, '201'),
        },
      },
      '/connections/telegram': {
        post: {
          summary:
            'Connect a Telegram bot by its token (checked with getMe); the label defaults to "Telegram @username"',
          requestBody: body(telegramBody),
          responses: ok('The connection and the bot', ref('TelegramConnected'), '201'),
        },
      },
      '/connections/start': {
        post: {
          summary: 'Start an OAuth flow and get its authorization URL',
          requestBody: body(startBody),
          responses: ok('Pending connection', ref('PendingConnection'), '201'),
        },
      },
      '/connections/{id}': {
        get: {
          summary: 'One connection',
          parameters: parameters(connectionParams, 'path'),
          responses: ok('Connection', connection),
        },
      },
      '/connections/{id}/label': {
        put: {
          summary: 'Relabel a connection',
          parameters: parameters(connectionParams, 'path'),
          requestBody: body(labelBody),
          responses: ok('Connection', connection),
        },
      },
      '/connections/{id}/token': {
        get: {
          summary:
            'A valid access token, refreshed first when it expires soon; if that early refresh fails, the current one with `X-Token-Refresh: failed` (only where authorize allows token)',
          description:
            'An agent key is checked against its policy first (model A): 404 without one, 403 policy_denied, 429 with Retry-After, or 202 with a pending approval; repeat with x-approval-id once approved.',
          parameters: [...parameters(connectionRefParams, 'path'), approvalIdHeader],
          responses: {
            ...ok('Access token', ref('AccessToken')),
            '202': {
              description: 'Needs an approval',
              content: data({ type: 'object', properties: { approval: ref('Approval') } }),
            },
          },
        },
      },
      '/connections/{id}/proxy/{path}': {
        description:
          "Any method: forwarded to the provider's apiBaseUrl + path with the credential injected (only where authorize allows proxy). The response is the provider's, streamed. An agent key is checked against its policy first (model B, on the body as sent): 404 without one, 403 policy_denied, 429 with Retry-After, or 202 with a pending approval; repeat the same call with x-approval-id once approved.",
        parameters: [
          ...parameters(connectionRefParams, 'path'),
          { name: 'path', in: 'path', required: true, schema: { type: 'string' } },
          approvalIdHeader,
        ],
        ...Object.fromEntries(
          ['get', 'post', 'put', 'patch', 'delete'].map((method) => [
            method,
            {
              summary: `${method.toUpperCase()} through the proxy`,
              responses: { default: { description: "The provider's response" } },
            },
          ]),
        ),
      },
      '/connections/{id}/revoke': {
        post: {
          summary: 'Destroy the secrets, revoke at the provider, keep the row as revoked',
          description:
            '409 when the stored tokens no longer decrypt (a key rollback) and the provider could revoke them, unless localOnly is true.',
          parameters: parameters(connectionParams, 'path'),
          requestBody: { ...body(revokeBody), required: false },
          responses: ok('Revoked', ref('RevokeResult')),
        },
      },
      '/connections/{id}/reauth': {
        post: {
          summary: 'A new OAuth flow for the same connection',
          parameters: parameters(connectionParams, 'path'),
          requestBody: { ...body(reauthBody), required: false },
          responses: ok('Pending connection', ref('PendingConnection'), '201'),
        },
      },
      '/audit': {
        get: {
          summary: "The caller's audit trail, newest first",
          parameters: parameters(auditQuery, 'query'),
          responses: {
            '200': {
              description: 'A page of entries; nextCursor fetches the next (older) one',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { data: array(ref('AuditEntry')), nextCursor: { type: ['string', 'null'] } },
                    required: ['data', 'nextCursor'],
                  },
                },
              },
            },
            default: { description: 'Error', content: { 'application/json': { schema: ref('Error') } } },
          },
        },
      },
      '/custom-providers': {
        get: {
          summary: "The owner's custom OAuth providers (authorize action admin)",
          responses: ok('Custom providers', array(ref('CustomProvider'))),
        },
        post: {
          summary:
            'Register or update a custom OAuth provider, or a remote MCP server (mcpUrl: its endpoints are discovered); the client secret is stored encrypted and never returned',
          requestBody: body(z.union([customProviderBody, customMcpProviderBody])),
          responses: ok('Custom provider', ref('CustomProvider'), '201'),
        },
      },
      '/custom-providers/{slug}': {
        delete: {
          summary: 'Remove a custom provider that no live connection uses',
          parameters: parameters(slugParams, 'path'),
          responses: ok('Removed', { type: 'object', properties: { removed: { type: 'string' } } }),
        },
      },
      '/agents': {
        get: {
          summary: "The owner's agents, never their keys (owners only: an agent key gets 403)",
          responses: ok('Agents', array(ref('Agent'))),
        },
        post: {
          summary: 'Create an agent; its key is in this answer only',
          requestBody: body(agentBody),
          responses: ok('The agent and its key', ref('AgentWithKey'), '201'),
        },
      },
      '/agents/{id}': {
        delete: {
          summary: 'Delete an agent: its key stops working at once',
          parameters: parameters(agentParams, 'path'),
          responses: ok('Deleted', { type: 'object', properties: { deleted: { type: 'string' } } }),
        },
      },
      '/agents/{id}/rotate-key': {
        post: {
          summary: 'A new key for the agent, in this answer only; the old one stops working at once',
          parameters: parameters(agentParams, 'path'),
          responses: ok('The agent and its new key', ref('AgentWithKey')),
        },
      },
      '/policies': {
        get: {
          summary: "The owner's policies, by connection or agent (owners only: an agent key gets 403)",
          parameters: parameters(policyQuery, 'query'),
          responses: ok('Policies', array(ref('Policy'))),
        },
        post: {
          summary: 'Bind an agent to a connection with rules (one policy per agent and connection: 409)',
          requestBody: body(policyBody),
          responses: ok('The policy', ref('Policy'), '201'),
        },
      },
      '/policies/{id}': {
        get: {
          summary: 'A policy',
          parameters: parameters(policyParams, 'path'),
          responses: ok('The policy', ref('Policy')),
        },
        put: {
          summary: 'Replace the rules (an absent rule takes its default); agent and connection stay',
          parameters: parameters(policyParams, 'path'),
          requestBody: body(policyRulesBody),
          responses: ok('The policy', ref('Policy')),
        },
        delete: {
          summary: 'Delete a policy: the agent loses the connection at once',
          parameters: parameters(policyParams, 'path'),
          responses: ok('Deleted', { type: 'object', properties: { deleted: { type: 'string' } } }),
        },
      },
      '/policies/{id}/provider-constraints': {
        put: {
          summary:
            "Replace the provider constraints (of the connection's own family: Telegram, Slack or Teams)",
          parameters: parameters(policyParams, 'path'),
          requestBody: body(providerConstraintsBody),
          responses: ok('The policy', ref('Policy')),
        },
      },
      '/approvals': {
        get: {
          summary: "The owner's step-up approvals (owners only: an agent key gets 403)",
          parameters: parameters(approvalListQuery, 'query'),
          responses: ok('Approvals', array(ref('Approval'))),
        },
      },
      '/approvals/{id}/approve': {
        post: {
          summary:
            "Approve a pending approval: the agent's retry with x-approval-id runs once (409 once not pending)",
          parameters: parameters(approvalParams, 'path'),
          responses: ok('The approval', ref('Approval')),
        },
      },
      '/approvals/{id}/deny': {
        post: {
          summary: 'Deny a pending approval (409 once not pending)',
          parameters: parameters(approvalParams, 'path'),
          responses: ok('The approval', ref('Approval')),
        },
      },
      ...toolPaths({ ok, body, parameters, ref, approvalIdHeader }),
      '/connect/{provider}': {
        get: {
          summary: "Redirect the browser to the provider's consent screen",
          parameters: [
            ...parameters(providerParams, 'path'),
            ...parameters(connectQuery, 'query'),
            // OpenAPI 3.1 §4.8.12.4: an object exploded in form style is one query key per property.
            {
              name: 'params',
              in: 'query',
              required: false,
              style: 'form',
              explode: true,
              schema: input(connectQueryParams),
            },
          ],
          responses: {
            '302': { description: 'To the provider' },
            default: { description: 'Error', content: { 'application/json': { schema: ref('Error') } } },
          },
        },
      },
      '/callback/{provider}': {
        get: {
          summary: 'OAuth redirect target: completes the flow',
          parameters: parameters(providerParams, 'path'),
          responses: {
            '302': { description: 'Back to the return URL' },
            ...ok('Connection (no return URL)', connection),
          },
        },
      },
    },
    components: { schemas: componentSchemas() },
  }
}

function input(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema
  return rest
}

function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>()
  for (const [id, schema] of Object.entries(resources)) registry.add(schema, { id })
  const { schemas } = z.toJSONSchema(registry, {
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  })
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema
      return [id, rest]
    }),
  )
}

/** The agent's retry of a call that needed an approval. */
const approvalIdHeader = {
  name: 'x-approval-id',
  in: 'header',
  required: false,
  schema: { type: 'string', format: 'uuid' },
}

function array(items: JsonSchema): JsonSchema {
  return { type: 'array', items }
}

function parameters(schema: z.ZodObject, where: 'query' | 'path') {
  const json = input(schema) as { properties?: Record<string, JsonSchema>; required?: string[] }
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }))
}
