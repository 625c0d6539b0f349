import type { ToolDefinition } from '../tool-definition.js'
import {
  after,
  docsUrl,
  first,
  graphqlCheck,
  ISSUE_NODE,
  issueNode,
  LINEAR_ISSUE_TOOLS,
  PAGE_INFO,
  pageInfo,
  teamId,
  userId,
} from './linear-issues.js'

/** Tools for the linear preset. */
export const LINEAR_TOOLS: ToolDefinition[] = [
  {
    slug: 'list_teams',
    displayName: 'List teams',
    description:
      'List the workspace’s teams with their IDs and keys (the ENG of ENG-123); other tools take a team ID.',
    inputSchema: { type: 'object', properties: { first, after }, required: [], additionalProperties: false },
    request: {
      method: 'POST',
      path: '/graphql',
      body: {
        fields: {
          query: {
            const: `query Teams($first: Int, $after: String) { teams(first: $first, after: $after) { nodes { id key name description } ${PAGE_INFO} } }`,
          },
          'variables.first': 'first',
          'variables.after': 'after',
        },
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        data: {
          type: 'object',
          properties: {
            teams: {
              type: 'object',
              properties: {
                nodes: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      id: { type: 'string' },
                      key: { type: 'string' },
                      name: { type: 'string' },
                      description: { type: ['string', 'null'] },
                    },
                  },
                },
                pageInfo,
              },
            },
          },
        },
      },
    },
    responseFieldMap: {
      'teams[].id': 'data.teams.nodes[].id',
      'teams[].key': 'data.teams.nodes[].key',
      'teams[].name': 'data.teams.nodes[].name',
      'teams[].description': 'data.teams.nodes[].description',
      has_next_page: 'data.teams.pageInfo.hasNextPage',
      end_cursor: 'data.teams.pageInfo.endCursor',
    },
    success: graphqlCheck,
    annotations: { readOnly: true, idempotent: true },
    docsUrl,
  },
  {
    slug: 'list_issues',
    displayName: 'List issues',
    description:
      'List issues, most recently updated first, filtered by team, assignee (or the connected user) and workflow state.',
    inputSchema: {
      type: 'object',
      properties: {
        team_id: teamId,
        assignee_id: { ...userId, description: 'Only issues assigned to this user.' },
        assigned_to_me: { type: 'boolean', description: 'true: only issues assigned to the connected user.' },
        state_name: { type: 'string', maxLength: 100, description: 'Workflow state name, e.g. In Progress.' },
        state_type: {
          type: 'string',
          enum: ['triage', 'backlog', 'unstarted', 'started', 'completed', 'canceled'],
          description: 'Workflow state category.',
        },
        first,
        after,
      },
      required: [],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/graphql',
      body: {
        fields: {
          query: {
            const: `query Issues($filter: IssueFilter, $first: Int, $after: String) { issues(filter: $filter, first: $first, after: $after, orderBy: updatedAt) { nodes { ${ISSUE_NODE} } ${PAGE_INFO} } }`,
          },
          'variables.filter.team.id.eq': 'team_id',
          'variables.filter.assignee.id.eq': 'assignee_id',
          'variables.filter.assignee.isMe.eq': 'assigned_to_me',
          'variables.filter.state.name.eq': 'state_name',
          'variables.filter.state.type.eq': 'state_type',
          'variables.first': 'first',
          'variables.after': 'after',
        },
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        data: {
          type: 'object',
          properties: {
            issues: { type: 'object', properties: { nodes: { type: 'array', items: issueNode }, pageInfo } },
          },
        },
      },
    },
    responseFieldMap: {
      'issues[].id': 'data.issues.nodes[].id',
      'issues[].identifier': 'data.issues.nodes[].identifier',
      'issues[].title': 'data.issues.nodes[].title',
      'issues[].url': 'data.issues.nodes[].url',
      'issues[].priority': 'data.issues.nodes[].priority',
      'issues[].state': 'data.issues.nodes[].state.name',
      'issues[].team': 'data.issues.nodes[].team.key',
      'issues[].updated_at': 'data.issues.nodes[].updatedAt',
      has_next_page: 'data.issues.pageInfo.hasNextPage',
      end_cursor: 'data.issues.pageInfo.endCursor',
    },
    success: graphqlCheck,
    annotations: { readOnly: true, idempotent: true },
    docsUrl,
  },
  ...LINEAR_ISSUE_TOOLS,
  {
    slug: 'search_issues',
    displayName: 'Search issues',
    description:
      'Full-text search of issue titles and descriptions (and comments, if asked), optionally in one team.',
    inputSchema: {
      type: 'object',
      properties: {
        term: { type: 'string', minLength: 1, maxLength: 500, description: 'What to search for.' },
        team_id: { ...teamId, description: 'Only this team’s issues.' },
        include_comments: { type: 'boolean', description: 'Also search comments (default false).' },
        first,
        after,
      },
      required: ['term'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/graphql',
      body: {
        fields: {
          query: {
            const: `query SearchIssues($term: String!, $teamId: String, $includeComments: Boolean, $first: Int, $after: String) { searchIssues(term: $term, teamId: $teamId, includeComments: $includeComments, first: $first, after: $after) { totalCount nodes { ${ISSUE_NODE} } ${PAGE_INFO} } }`,
          },
          'variables.term': 'term',
          'variables.teamId': 'team_id',
          'variables.includeComments': 'include_comments',
          'variables.first': 'first',
          'variables.after': 'after',
        },
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        data: {
          type: 'object',
          properties: {
            searchIssues: {
              type: 'object',
              properties: {
                totalCount: { type: 'number' },
                nodes: { type: 'array', items: issueNode },
                pageInfo,
              },
            },
          },
        },
      },
    },
    responseFieldMap: {
      total_count: 'data.searchIssues.totalCount',
      'issues[].id': 'data.searchIssues.nodes[].id',
      'issues[].identifier': 'data.searchIssues.nodes[].identifier',
      'issues[].title': 'data.searchIssues.nodes[].title',
      'issues[].url': 'data.searchIssues.nodes[].url',
      'issues[].priority': 'data.searchIssues.nodes[].priority',
      'issues[].state': 'data.searchIssues.nodes[].state.name',
      'issues[].team': 'data.searchIssues.nodes[].team.key',
      'issues[].updated_at': 'data.searchIssues.nodes[].updatedAt',
      has_next_page: 'data.searchIssues.pageInfo.hasNextPage',
      end_cursor: 'data.searchIssues.pageInfo.endCursor',
    },
    success: graphqlCheck,
    annotations: { readOnly: true, idempotent: true },
    docsUrl,
  },
]
