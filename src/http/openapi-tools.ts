import type { z } from 'zod'
import { connectionRefParams } from './schemas.js'
import { toolParams, toolRunBody, toolSettingsBody } from './tool-schemas.js'

type JsonSchema = Record<string, unknown>

/** What openapi.ts lends the tool paths: its response, body, parameter and reference builders. */
export interface OpenApiParts {
  ok: (description: string, schema: JsonSchema, status?: string) => JsonSchema
  body: (schema: z.ZodType) => JsonSchema
  parameters: (schema: z.ZodObject, where: 'query' | 'path') => JsonSchema[]
  ref: (name: 'Tool' | 'ToolRunResult' | 'Approval') => JsonSchema
  approvalIdHeader: JsonSchema
}

/** The `/connections/{id}/tools` paths (AGENTS.md "Tools"). */
export function toolPaths({ ok, body, parameters, ref, approvalIdHeader }: OpenApiParts) {
  const tools = { type: 'array', items: ref('Tool') }
  return {
    '/connections/{id}/tools': {
      get: {
        summary:
          "The connection's tools with their state; an agent key sees only the enabled ones its policy admits, without pinned values",
        parameters: parameters(connectionRefParams, 'path'),
        responses: ok('Tools', tools),
      },
    },
    '/connections/{id}/tools/sync': {
      post: {
        summary:
          "Sync the tools with the provider's definitions: new ones added, settings kept, what a change broke marked stale (owners only)",
        parameters: parameters(connectionRefParams, 'path'),
        responses: ok('Tools', tools),
      },
    },
    '/connections/{id}/tools/{slug}': {
      patch: {
        summary:
          'Enable or disable a tool, set its defaults and pinned fields (owners only; 422 invalid_input with JSON pointers)',
        parameters: parameters(toolParams, 'path'),
        requestBody: body(toolSettingsBody),
        responses: ok('Tool', ref('Tool')),
      },
    },
    '/connections/{id}/tools/{slug}/run': {
      post: {
        summary:
          'Run a tool (Model B): input checked against mergedInputPreview (422 invalid_input with JSON pointers), then the policy: 403 policy_denied, 429, or 202 with a pending approval; repeat with x-approval-id once approved. 502 provider_error when the provider refuses.',
        parameters: [...parameters(toolParams, 'path'), approvalIdHeader],
        requestBody: body(toolRunBody),
        responses: {
          ...ok('Waiting for approval', { type: 'object', properties: { approval: ref('Approval') } }, '202'),
          ...ok('The output', ref('ToolRunResult')),
        },
      },
    },
    '/mcp': {
      post: {
        summary:
          "The agents' MCP endpoint, with the mcp option only (docs/mcp.md): one JSON-RPC 2.0 message of MCP's streamable HTTP transport, stateless (no session id; GET and DELETE answer 405), agent keys only. tools/list: the enabled tools of the agent's connections; tools/call: the run above, its refusals and pending approvals as tool results with isError (approval id in params._meta.approvalId or x-approval-id).",
        parameters: [approvalIdHeader],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['jsonrpc', 'method'],
                properties: {
                  jsonrpc: { const: '2.0' },
                  id: { type: ['string', 'integer'] },
                  method: { type: 'string' },
                  params: { type: 'object' },
                },
              },
            },
          },
        },
        responses: {
          ...ok('The JSON-RPC response (tools/call: a CallToolResult)', { type: 'object' }),
          '202': { description: 'A notification, accepted' },
          '401': { description: 'No agent key, or one that is not valid (WWW-Authenticate: Bearer)' },
          '501': { description: 'The mcp option is on but @modelcontextprotocol/sdk is not installed' },
        },
      },
    },
  }
}
