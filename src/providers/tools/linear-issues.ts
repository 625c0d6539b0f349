import type { JsonSchema, ToolDefinition } from '../tool-definition.js'

// Linear's GraphQL API: POST /graphql { query, variables }. Queries, arguments and fields checked
// against its schema (packages/sdk/src/schema.graphql in github.com/linear/linear), read 2026-12-07.
// A failed query answers 200 with `errors`.

export const graphqlCheck = { path: 'errors', absent: true, errorPath: 'errors.0.message' } as const
export const docsUrl = 'https://linear.app/developers/graphql'

export const first: JsonSchema = {
  type: 'integer',
  minimum: 1,
  maximum: 250,
  description: 'Page size (default 50).',
}
export const after: JsonSchema = {
  type: 'string',
  maxLength: 500,
  description: 'end_cursor of the previous page.',
}
export const issueRef: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  description: 'The issue’s ID or its identifier, e.g. ENG-123.',
}
export const priority: JsonSchema = {
  type: 'integer',
  minimum: 0,
  maximum: 4,
  description: '0 no priority, 1 urgent, 2 high, 3 normal, 4 low.',
}
export const markdown: JsonSchema = { type: 'string', maxLength: 100000, description: 'Text in Markdown.' }
export const teamId: JsonSchema = {
  type: 'string',
  maxLength: 64,
  description: 'The team’s ID (from list_teams).',
}
export const userId: JsonSchema = { type: 'string', maxLength: 64, description: 'The user’s ID.' }
export const stateId: JsonSchema = { type: 'string', maxLength: 64, description: 'The workflow state’s ID.' }
export const labelIds: JsonSchema = {
  type: 'array',
  items: { type: 'string', maxLength: 64 },
  maxItems: 50,
  description: 'Label IDs.',
}
export const dueDate: JsonSchema = { type: 'string', format: 'date', description: 'Due date, YYYY-MM-DD.' }

export const pageInfo: JsonSchema = {
  type: 'object',
  properties: { hasNextPage: { type: 'boolean' }, endCursor: { type: ['string', 'null'] } },
}
/** The fields of ISSUE_NODE, as the schema types them. */
export const issueNode: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    identifier: { type: 'string' },
    title: { type: 'string' },
    url: { type: 'string' },
    priority: { type: 'number' },
    updatedAt: { type: 'string' },
    state: { type: 'object', properties: { name: { type: 'string' }, type: { type: 'string' } } },
    team: { type: 'object', properties: { key: { type: 'string' } } },
  },
}
export const ISSUE_NODE = 'id identifier title url priority updatedAt state { name type } team { key }'
export const PAGE_INFO = 'pageInfo { hasNextPage endCursor }'

const mutatedIssueFields: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    identifier: { type: 'string' },
    title: { type: 'string' },
    url: { type: 'string' },
    state: { type: 'object', properties: { name: { type: 'string' } } },
  },
}
const MUTATED_ISSUE = 'success issue { id identifier title url state { name } }'

/** Reading, creating and changing one issue, and commenting on it. */
export const LINEAR_ISSUE_TOOLS: ToolDefinition[] = [
  {
    slug: 'get_issue',
    displayName: 'Get issue',
    description: 'Read one issue: title, description, state, assignee, team, labels, priority and due date.',
    inputSchema: {
      type: 'object',
      properties: { id: issueRef },
      required: ['id'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/graphql',
      body: {
        fields: {
          query: {
            const:
              'query Issue($id: String!) { issue(id: $id) { id identifier title description url priority priorityLabel dueDate createdAt updatedAt state { name type } assignee { id name } team { id key } labels { nodes { name } } } }',
          },
          'variables.id': 'id',
        },
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        data: {
          type: 'object',
          properties: {
            issue: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                identifier: { type: 'string' },
                title: { type: 'string' },
                description: { type: ['string', 'null'] },
                url: { type: 'string' },
                priority: { type: 'number' },
                priorityLabel: { type: 'string' },
                dueDate: { type: ['string', 'null'] },
                createdAt: { type: 'string' },
                updatedAt: { type: 'string' },
                state: { type: 'object', properties: { name: { type: 'string' }, type: { type: 'string' } } },
                assignee: {
                  type: ['object', 'null'],
                  properties: { id: { type: 'string' }, name: { type: 'string' } },
                },
                team: { type: 'object', properties: { id: { type: 'string' }, key: { type: 'string' } } },
                labels: {
                  type: 'object',
                  properties: {
                    nodes: {
                      type: 'array',
                      items: { type: 'object', properties: { name: { type: 'string' } } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    responseFieldMap: {
      id: 'data.issue.id',
      identifier: 'data.issue.identifier',
      title: 'data.issue.title',
      description: 'data.issue.description',
      url: 'data.issue.url',
      priority: 'data.issue.priorityLabel',
      due_date: 'data.issue.dueDate',
      state: 'data.issue.state.name',
      assignee_id: 'data.issue.assignee.id',
      assignee: 'data.issue.assignee.name',
      team_id: 'data.issue.team.id',
      team: 'data.issue.team.key',
      'labels[]': 'data.issue.labels.nodes[].name',
      created_at: 'data.issue.createdAt',
      updated_at: 'data.issue.updatedAt',
    },
    success: graphqlCheck,
    annotations: { readOnly: true, idempotent: true },
    docsUrl,
  },
  {
    slug: 'create_issue',
    displayName: 'Create issue',
    description:
      'Create an issue in a team, optionally assigned, prioritized, labelled, in a given state and with a due date.',
    inputSchema: {
      type: 'object',
      properties: {
        team_id: teamId,
        title: { type: 'string', minLength: 1, maxLength: 255, description: 'The issue title.' },
        description: markdown,
        assignee_id: { ...userId, description: 'The user to assign.' },
        priority,
        state_id: stateId,
        label_ids: labelIds,
        due_date: dueDate,
      },
      required: ['team_id', 'title'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/graphql',
      body: {
        fields: {
          query: {
            const: `mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { ${MUTATED_ISSUE} } }`,
          },
          'variables.input.teamId': 'team_id',
          'variables.input.title': 'title',
          'variables.input.description': 'description',
          'variables.input.assigneeId': 'assignee_id',
          'variables.input.priority': 'priority',
          'variables.input.stateId': 'state_id',
          'variables.input.labelIds': 'label_ids',
          'variables.input.dueDate': 'due_date',
        },
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        data: {
          type: 'object',
          properties: {
            issueCreate: {
              type: 'object',
              properties: { success: { type: 'boolean' }, issue: mutatedIssueFields },
            },
          },
        },
      },
    },
    responseFieldMap: {
      success: 'data.issueCreate.success',
      id: 'data.issueCreate.issue.id',
      identifier: 'data.issueCreate.issue.identifier',
      title: 'data.issueCreate.issue.title',
      url: 'data.issueCreate.issue.url',
      state: 'data.issueCreate.issue.state.name',
    },
    success: graphqlCheck,
    annotations: { readOnly: false },
    docsUrl,
  },
  {
    slug: 'update_issue',
    displayName: 'Update issue',
    description:
      'Change an issue’s title, description, assignee, priority, state (to move or close it), labels or due date; given fields replace the current ones.',
    inputSchema: {
      type: 'object',
      properties: {
        id: issueRef,
        title: { type: 'string', minLength: 1, maxLength: 255, description: 'The new title.' },
        description: markdown,
        assignee_id: { ...userId, description: 'The user to assign.' },
        priority,
        state_id: {
          ...stateId,
          description: 'The workflow state to move the issue to (a completed one closes it).',
        },
        label_ids: { ...labelIds, description: 'Replaces all labels.' },
        due_date: dueDate,
      },
      required: ['id'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/graphql',
      body: {
        fields: {
          query: {
            const: `mutation IssueUpdate($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { ${MUTATED_ISSUE} } }`,
          },
          'variables.id': 'id',
          'variables.input.title': 'title',
          'variables.input.description': 'description',
          'variables.input.assigneeId': 'assignee_id',
          'variables.input.priority': 'priority',
          'variables.input.stateId': 'state_id',
          'variables.input.labelIds': 'label_ids',
          'variables.input.dueDate': 'due_date',
        },
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        data: {
          type: 'object',
          properties: {
            issueUpdate: {
              type: 'object',
              properties: { success: { type: 'boolean' }, issue: mutatedIssueFields },
            },
          },
        },
      },
    },
    responseFieldMap: {
      success: 'data.issueUpdate.success',
      id: 'data.issueUpdate.issue.id',
      identifier: 'data.issueUpdate.issue.identifier',
      title: 'data.issueUpdate.issue.title',
      url: 'data.issueUpdate.issue.url',
      state: 'data.issueUpdate.issue.state.name',
    },
    success: graphqlCheck,
    annotations: { readOnly: false, destructive: true, idempotent: true },
    docsUrl,
  },
  {
    slug: 'add_comment',
    displayName: 'Comment on issue',
    description: 'Add a comment (Markdown) to an issue.',
    inputSchema: {
      type: 'object',
      properties: {
        issue_id: issueRef,
        body: { ...markdown, minLength: 1 },
      },
      required: ['issue_id', 'body'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/graphql',
      body: {
        fields: {
          query: {
            const:
              'mutation CommentCreate($input: CommentCreateInput!) { commentCreate(input: $input) { success comment { id body url createdAt } } }',
          },
          'variables.input.issueId': 'issue_id',
          'variables.input.body': 'body',
        },
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        data: {
          type: 'object',
          properties: {
            commentCreate: {
              type: 'object',
              properties: {
                success: { type: 'boolean' },
                comment: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    url: { type: 'string' },
                    createdAt: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
    responseFieldMap: {
      success: 'data.commentCreate.success',
      id: 'data.commentCreate.comment.id',
      url: 'data.commentCreate.comment.url',
      created_at: 'data.commentCreate.comment.createdAt',
    },
    success: graphqlCheck,
    annotations: { readOnly: false },
    docsUrl,
  },
]
