import type { ToolSamples } from './sample.js'

// GraphQL answers in the shape of Linear's schema (github.com/linear/linear packages/sdk/src/schema.graphql):
// { data: { <field>: … } }, connections as { nodes, pageInfo }. The queries are spelled out so a
// change to a tool's query shows here.

const LIST_TEAMS =
  'query Teams($first: Int, $after: String) { teams(first: $first, after: $after) { nodes { id key name description } pageInfo { hasNextPage endCursor } } }'
const LIST_ISSUES =
  'query Issues($filter: IssueFilter, $first: Int, $after: String) { issues(filter: $filter, first: $first, after: $after, orderBy: updatedAt) { nodes { id identifier title url priority updatedAt state { name type } team { key } } pageInfo { hasNextPage endCursor } } }'
const GET_ISSUE =
  'query Issue($id: String!) { issue(id: $id) { id identifier title description url priority priorityLabel dueDate createdAt updatedAt state { name type } assignee { id name } team { id key } labels { nodes { name } } } }'
const CREATE_ISSUE =
  'mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier title url state { name } } } }'
const UPDATE_ISSUE =
  'mutation IssueUpdate($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success issue { id identifier title url state { name } } } }'
const ADD_COMMENT =
  'mutation CommentCreate($input: CommentCreateInput!) { commentCreate(input: $input) { success comment { id body url createdAt } } }'
const SEARCH_ISSUES =
  'query SearchIssues($term: String!, $teamId: String, $includeComments: Boolean, $first: Int, $after: String) { searchIssues(term: $term, teamId: $teamId, includeComments: $includeComments, first: $first, after: $after) { totalCount nodes { id identifier title url priority updatedAt state { name type } team { key } } pageInfo { hasNextPage endCursor } } }'

const team = {
  id: '9cfb482a-81e3-4154-b5b9-2c805e70a02d',
  key: 'ENG',
  name: 'Engineering',
  description: 'Product engineering',
}
const eng123 = {
  id: 'a0f5e2c4-3b9d-4e61-8f0a-7c2d9e4b1a35',
  identifier: 'ENG-123',
  title: 'Login redirect loops on Safari',
  url: 'https://linear.app/acme/issue/ENG-123/login-redirect-loops-on-safari',
  priority: 2,
  updatedAt: '2026-12-01T10:15:30.000Z',
  state: { name: 'In Progress', type: 'started' },
  team: { key: 'ENG' },
}
const eng123Listed = {
  id: 'a0f5e2c4-3b9d-4e61-8f0a-7c2d9e4b1a35',
  identifier: 'ENG-123',
  title: 'Login redirect loops on Safari',
  url: 'https://linear.app/acme/issue/ENG-123/login-redirect-loops-on-safari',
  priority: 2,
  state: 'In Progress',
  team: 'ENG',
  updated_at: '2026-12-01T10:15:30.000Z',
}
const lastPage = { hasNextPage: false, endCursor: 'a0f5e2c4-3b9d-4e61-8f0a-7c2d9e4b1a35' }
const created = {
  id: 'c3d1b7e9-52a4-4f0e-9b86-1e7f3a2d5c08',
  identifier: 'ENG-124',
  title: 'Safari: add a login redirect test',
  url: 'https://linear.app/acme/issue/ENG-124/safari-add-a-login-redirect-test',
  state: { name: 'Todo' },
}

export const linearSamples: ToolSamples = {
  linear: [
    {
      slug: 'list_teams',
      name: 'first page',
      input: {},
      request: { method: 'POST', path: '/graphql', json: { query: LIST_TEAMS } },
      response: {
        body: {
          data: {
            teams: {
              nodes: [team],
              pageInfo: { hasNextPage: true, endCursor: '9cfb482a-81e3-4154-b5b9-2c805e70a02d' },
            },
          },
        },
      },
      output: {
        teams: [team],
        has_next_page: true,
        end_cursor: '9cfb482a-81e3-4154-b5b9-2c805e70a02d',
      },
    },
    {
      slug: 'list_teams',
      name: 'next page',
      input: { first: 10, after: '9cfb482a-81e3-4154-b5b9-2c805e70a02d' },
      request: {
        method: 'POST',
        path: '/graphql',
        json: { query: LIST_TEAMS, variables: { first: 10, after: '9cfb482a-81e3-4154-b5b9-2c805e70a02d' } },
      },
      response: {
        body: { data: { teams: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } } },
      },
      output: { teams: [], has_next_page: false, end_cursor: null },
    },
    {
      slug: 'list_issues',
      name: 'everything',
      input: {},
      request: { method: 'POST', path: '/graphql', json: { query: LIST_ISSUES } },
      response: { body: { data: { issues: { nodes: [eng123], pageInfo: lastPage } } } },
      output: {
        issues: [eng123Listed],
        has_next_page: false,
        end_cursor: 'a0f5e2c4-3b9d-4e61-8f0a-7c2d9e4b1a35',
      },
    },
    {
      slug: 'list_issues',
      name: 'mine in a team, started',
      input: { team_id: team.id, assigned_to_me: true, state_type: 'started', first: 25 },
      request: {
        method: 'POST',
        path: '/graphql',
        json: {
          query: LIST_ISSUES,
          variables: {
            filter: {
              team: { id: { eq: '9cfb482a-81e3-4154-b5b9-2c805e70a02d' } },
              assignee: { isMe: { eq: true } },
              state: { type: { eq: 'started' } },
            },
            first: 25,
          },
        },
      },
      response: { body: { data: { issues: { nodes: [eng123], pageInfo: lastPage } } } },
      output: {
        issues: [eng123Listed],
        has_next_page: false,
        end_cursor: 'a0f5e2c4-3b9d-4e61-8f0a-7c2d9e4b1a35',
      },
    },
    {
      slug: 'list_issues',
      name: 'someone else’s, by state name',
      input: {
        assignee_id: '4f2b8d1e-7a3c-4e9f-b0d6-5c1a8e3f7b92',
        state_name: 'In Review',
        after: 'a0f5e2c4-3b9d-4e61-8f0a-7c2d9e4b1a35',
      },
      request: {
        method: 'POST',
        path: '/graphql',
        json: {
          query: LIST_ISSUES,
          variables: {
            filter: {
              assignee: { id: { eq: '4f2b8d1e-7a3c-4e9f-b0d6-5c1a8e3f7b92' } },
              state: { name: { eq: 'In Review' } },
            },
            after: 'a0f5e2c4-3b9d-4e61-8f0a-7c2d9e4b1a35',
          },
        },
      },
      response: {
        body: { data: { issues: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } } },
      },
      output: { issues: [], has_next_page: false, end_cursor: null },
    },
    {
      slug: 'get_issue',
      input: { id: 'ENG-123' },
      request: { method: 'POST', path: '/graphql', json: { query: GET_ISSUE, variables: { id: 'ENG-123' } } },
      response: {
        body: {
          data: {
            issue: {
              id: 'a0f5e2c4-3b9d-4e61-8f0a-7c2d9e4b1a35',
              identifier: 'ENG-123',
              title: 'Login redirect loops on Safari',
              description: 'Steps:\n1. Open /login in Safari 18\n2. Sign in',
              url: 'https://linear.app/acme/issue/ENG-123/login-redirect-loops-on-safari',
              priority: 2,
              priorityLabel: 'High',
              dueDate: '2026-12-12',
              createdAt: '2026-11-28T08:00:00.000Z',
              updatedAt: '2026-12-01T10:15:30.000Z',
              state: { name: 'In Progress', type: 'started' },
              assignee: { id: '4f2b8d1e-7a3c-4e9f-b0d6-5c1a8e3f7b92', name: 'Grace Hopper' },
              team: { id: '9cfb482a-81e3-4154-b5b9-2c805e70a02d', key: 'ENG' },
              labels: { nodes: [{ name: 'Bug' }, { name: 'Safari' }] },
            },
          },
        },
      },
      output: {
        id: 'a0f5e2c4-3b9d-4e61-8f0a-7c2d9e4b1a35',
        identifier: 'ENG-123',
        title: 'Login redirect loops on Safari',
        description: 'Steps:\n1. Open /login in Safari 18\n2. Sign in',
        url: 'https://linear.app/acme/issue/ENG-123/login-redirect-loops-on-safari',
        priority: 'High',
        due_date: '2026-12-12',
        state: 'In Progress',
        assignee_id: '4f2b8d1e-7a3c-4e9f-b0d6-5c1a8e3f7b92',
        assignee: 'Grace Hopper',
        team_id: '9cfb482a-81e3-4154-b5b9-2c805e70a02d',
        team: 'ENG',
        labels: ['Bug', 'Safari'],
        created_at: '2026-11-28T08:00:00.000Z',
        updated_at: '2026-12-01T10:15:30.000Z',
      },
    },
    {
      slug: 'create_issue',
      name: 'title only',
      input: { team_id: team.id, title: 'Safari: add a login redirect test' },
      request: {
        method: 'POST',
        path: '/graphql',
        json: {
          query: CREATE_ISSUE,
          variables: {
            input: {
              teamId: '9cfb482a-81e3-4154-b5b9-2c805e70a02d',
              title: 'Safari: add a login redirect test',
            },
          },
        },
      },
      response: { body: { data: { issueCreate: { success: true, issue: created } } } },
      output: {
        success: true,
        id: created.id,
        identifier: 'ENG-124',
        title: 'Safari: add a login redirect test',
        url: created.url,
        state: 'Todo',
      },
    },
    {
      slug: 'create_issue',
      name: 'assigned, prioritized, labelled, due',
      input: {
        team_id: team.id,
        title: 'Safari: add a login redirect test',
        description: 'Cover ENG-123 with an end-to-end test.',
        assignee_id: '4f2b8d1e-7a3c-4e9f-b0d6-5c1a8e3f7b92',
        priority: 3,
        state_id: '0d6e1c9a-4b27-4f83-a5e2-9c7b3d1f8e40',
        label_ids: ['6a1f0c3e-9d84-4b2a-8e57-3f9c1b7d2a64'],
        due_date: '2026-12-19',
      },
      request: {
        method: 'POST',
        path: '/graphql',
        json: {
          query: CREATE_ISSUE,
          variables: {
            input: {
              teamId: '9cfb482a-81e3-4154-b5b9-2c805e70a02d',
              title: 'Safari: add a login redirect test',
              description: 'Cover ENG-123 with an end-to-end test.',
              assigneeId: '4f2b8d1e-7a3c-4e9f-b0d6-5c1a8e3f7b92',
              priority: 3,
              stateId: '0d6e1c9a-4b27-4f83-a5e2-9c7b3d1f8e40',
              labelIds: ['6a1f0c3e-9d84-4b2a-8e57-3f9c1b7d2a64'],
              dueDate: '2026-12-19',
            },
          },
        },
      },
      response: { body: { data: { issueCreate: { success: true, issue: created } } } },
      output: {
        success: true,
        id: created.id,
        identifier: 'ENG-124',
        title: 'Safari: add a login redirect test',
        url: created.url,
        state: 'Todo',
      },
    },
    {
      slug: 'update_issue',
      name: 'move to done',
      input: { id: 'ENG-123', state_id: '8b3e5f2a-1c7d-4a96-b4e0-2d9f6c8a1e73' },
      request: {
        method: 'POST',
        path: '/graphql',
        json: {
          query: UPDATE_ISSUE,
          variables: { id: 'ENG-123', input: { stateId: '8b3e5f2a-1c7d-4a96-b4e0-2d9f6c8a1e73' } },
        },
      },
      response: {
        body: { data: { issueUpdate: { success: true, issue: { ...eng123, state: { name: 'Done' } } } } },
      },
      output: {
        success: true,
        id: eng123.id,
        identifier: 'ENG-123',
        title: 'Login redirect loops on Safari',
        url: eng123.url,
        state: 'Done',
      },
    },
    {
      slug: 'update_issue',
      name: 'retitle, reassign, reprioritize',
      input: {
        id: 'ENG-123',
        title: 'Login redirect loop (Safari 18)',
        assignee_id: '4f2b8d1e-7a3c-4e9f-b0d6-5c1a8e3f7b92',
        priority: 1,
      },
      request: {
        method: 'POST',
        path: '/graphql',
        json: {
          query: UPDATE_ISSUE,
          variables: {
            id: 'ENG-123',
            input: {
              title: 'Login redirect loop (Safari 18)',
              assigneeId: '4f2b8d1e-7a3c-4e9f-b0d6-5c1a8e3f7b92',
              priority: 1,
            },
          },
        },
      },
      response: {
        body: {
          data: {
            issueUpdate: { success: true, issue: { ...eng123, title: 'Login redirect loop (Safari 18)' } },
          },
        },
      },
      output: {
        success: true,
        id: eng123.id,
        identifier: 'ENG-123',
        title: 'Login redirect loop (Safari 18)',
        url: eng123.url,
        state: 'In Progress',
      },
    },
    {
      slug: 'add_comment',
      input: { issue_id: 'ENG-123', body: 'Reproduced on Safari 18.1; fix in review.' },
      request: {
        method: 'POST',
        path: '/graphql',
        json: {
          query: ADD_COMMENT,
          variables: { input: { issueId: 'ENG-123', body: 'Reproduced on Safari 18.1; fix in review.' } },
        },
      },
      response: {
        body: {
          data: {
            commentCreate: {
              success: true,
              comment: {
                id: 'e7a9c2d4-6f1b-4d38-9a05-b2c8e4f6a1d9',
                body: 'Reproduced on Safari 18.1; fix in review.',
                url: 'https://linear.app/acme/issue/ENG-123/login-redirect-loops-on-safari#comment-e7a9c2d4',
                createdAt: '2026-12-07T14:00:00.000Z',
              },
            },
          },
        },
      },
      output: {
        success: true,
        id: 'e7a9c2d4-6f1b-4d38-9a05-b2c8e4f6a1d9',
        url: 'https://linear.app/acme/issue/ENG-123/login-redirect-loops-on-safari#comment-e7a9c2d4',
        created_at: '2026-12-07T14:00:00.000Z',
      },
    },
    {
      slug: 'search_issues',
      name: 'a term',
      input: { term: 'redirect' },
      request: {
        method: 'POST',
        path: '/graphql',
        json: { query: SEARCH_ISSUES, variables: { term: 'redirect' } },
      },
      response: { body: { data: { searchIssues: { totalCount: 1, nodes: [eng123], pageInfo: lastPage } } } },
      output: {
        total_count: 1,
        issues: [eng123Listed],
        has_next_page: false,
        end_cursor: 'a0f5e2c4-3b9d-4e61-8f0a-7c2d9e4b1a35',
      },
    },
    {
      slug: 'search_issues',
      name: 'in one team, comments too',
      input: { term: 'safari', team_id: team.id, include_comments: true, first: 5 },
      request: {
        method: 'POST',
        path: '/graphql',
        json: {
          query: SEARCH_ISSUES,
          variables: {
            term: 'safari',
            teamId: '9cfb482a-81e3-4154-b5b9-2c805e70a02d',
            includeComments: true,
            first: 5,
          },
        },
      },
      response: {
        body: {
          data: {
            searchIssues: { totalCount: 0, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
          },
        },
      },
      output: { total_count: 0, issues: [], has_next_page: false, end_cursor: null },
    },
  ],
}
