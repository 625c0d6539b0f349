import type { JsonSchema, ToolDefinition } from '../tool-definition.js'

// GitHub REST API 2022-11-28 (the version the preset sends), read 2026-12-07 at each tool's docsUrl.

export const owner: JsonSchema = {
  type: 'string',
  maxLength: 100,
  description: 'Account that owns the repository (user or organization login).',
}
export const repo: JsonSchema = {
  type: 'string',
  maxLength: 100,
  description: 'Repository name, without the owner.',
}
export const issueNumber: JsonSchema = { type: 'integer', minimum: 1, description: 'The issue number.' }
export const perPage: JsonSchema = {
  type: 'integer',
  minimum: 1,
  maximum: 100,
  description: 'Results per page (default 30, at most 100).',
}
export const page: JsonSchema = { type: 'integer', minimum: 1, description: 'Page of the results, 1 first.' }
export const direction: JsonSchema = { type: 'string', enum: ['asc', 'desc'], description: 'Sort direction.' }
export const markdown: JsonSchema = {
  type: 'string',
  maxLength: 65536,
  description: 'Text in GitHub Markdown.',
}

export const issueFields: JsonSchema = {
  number: { type: 'integer' },
  title: { type: 'string' },
  state: { type: 'string' },
  state_reason: { type: ['string', 'null'] },
  html_url: { type: 'string' },
  body: { type: ['string', 'null'] },
  comments: { type: 'integer' },
  user: { type: ['object', 'null'], properties: { login: { type: 'string' } } },
  labels: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
  created_at: { type: 'string' },
  updated_at: { type: 'string' },
}
export const issue: JsonSchema = { type: 'object', properties: issueFields }
export const issueArray: JsonSchema = { type: 'array', items: issue }

/** What an agent gets of one issue. */
export const issueMap = {
  number: 'number',
  title: 'title',
  state: 'state',
  url: 'html_url',
  body: 'body',
  author: 'user.login',
  'labels[]': 'labels[].name',
  comments: 'comments',
  created_at: 'created_at',
  updated_at: 'updated_at',
}

/** Reading and writing a repository's issues. */
export const GITHUB_ISSUE_TOOLS: ToolDefinition[] = [
  {
    slug: 'list_issues',
    displayName: 'List issues',
    description:
      "List a repository's issues, open ones by default; GitHub counts pull requests as issues too. Filter by state, labels or assignee.",
    inputSchema: {
      type: 'object',
      properties: {
        owner,
        repo,
        state: { type: 'string', enum: ['open', 'closed', 'all'], description: 'Default open.' },
        labels: {
          type: 'string',
          maxLength: 1000,
          description: 'Comma-separated label names; issues with all of them.',
        },
        assignee: {
          type: 'string',
          maxLength: 100,
          description: 'A login, `none` for unassigned issues or `*` for assigned ones.',
        },
        sort: { type: 'string', enum: ['created', 'updated', 'comments'], description: 'Default created.' },
        direction,
        since: {
          type: 'string',
          format: 'date-time',
          description: 'Only issues updated at or after this time.',
        },
        per_page: perPage,
        page,
      },
      required: ['owner', 'repo'],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: '/repos/{owner}/{repo}/issues',
      query: {
        state: 'state',
        labels: 'labels',
        assignee: 'assignee',
        sort: 'sort',
        direction: 'direction',
        since: 'since',
        per_page: 'per_page',
        page: 'page',
      },
    },
    responseSchema: issueArray,
    responseFieldMap: {
      'issues[].number': '[].number',
      'issues[].title': '[].title',
      'issues[].state': '[].state',
      'issues[].url': '[].html_url',
      'issues[].author': '[].user.login',
      'issues[].comments': '[].comments',
      'issues[].updated_at': '[].updated_at',
    },
    annotations: { readOnly: true, idempotent: true },
    docsUrl: 'https://docs.github.com/en/rest/issues/issues#list-repository-issues',
  },
  {
    slug: 'get_issue',
    displayName: 'Get issue',
    description: 'Read one issue of a repository: its title, state, body, labels and author.',
    inputSchema: {
      type: 'object',
      properties: { owner, repo, issue_number: issueNumber },
      required: ['owner', 'repo', 'issue_number'],
      additionalProperties: false,
    },
    request: { method: 'GET', path: '/repos/{owner}/{repo}/issues/{issue_number}' },
    responseSchema: issue,
    responseFieldMap: issueMap,
    annotations: { readOnly: true, idempotent: true },
    docsUrl: 'https://docs.github.com/en/rest/issues/issues#get-an-issue',
  },
  {
    slug: 'create_issue',
    displayName: 'Create issue',
    description: 'Open a new issue in a repository, optionally with labels and assignees.',
    inputSchema: {
      type: 'object',
      properties: {
        owner,
        repo,
        title: { type: 'string', minLength: 1, maxLength: 256, description: 'The title of the issue.' },
        body: markdown,
        labels: {
          type: 'array',
          items: { type: 'string', maxLength: 100 },
          maxItems: 100,
          description: 'Label names.',
        },
        assignees: {
          type: 'array',
          items: { type: 'string', maxLength: 100 },
          maxItems: 10,
          description: 'Logins to assign (at most 10).',
        },
      },
      required: ['owner', 'repo', 'title'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/repos/{owner}/{repo}/issues',
      body: { fields: { title: 'title', body: 'body', labels: 'labels', assignees: 'assignees' } },
    },
    responseSchema: issue,
    responseFieldMap: {
      number: 'number',
      title: 'title',
      state: 'state',
      url: 'html_url',
      created_at: 'created_at',
    },
    annotations: { readOnly: false },
    docsUrl: 'https://docs.github.com/en/rest/issues/issues#create-an-issue',
  },
  {
    slug: 'add_issue_comment',
    displayName: 'Comment on issue',
    description: 'Add a comment to an issue or pull request conversation.',
    inputSchema: {
      type: 'object',
      properties: { owner, repo, issue_number: issueNumber, body: { ...markdown, minLength: 1 } },
      required: ['owner', 'repo', 'issue_number', 'body'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      body: { fields: { body: 'body' } },
    },
    responseSchema: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        html_url: { type: 'string' },
        body: { type: 'string' },
        created_at: { type: 'string' },
      },
    },
    responseFieldMap: { id: 'id', url: 'html_url', created_at: 'created_at' },
    annotations: { readOnly: false },
    docsUrl: 'https://docs.github.com/en/rest/issues/comments#create-an-issue-comment',
  },
  {
    slug: 'update_issue',
    displayName: 'Update issue',
    description:
      "Change an issue's title, body, labels or assignees, or close or reopen it (state with state_reason). Given fields replace the current ones.",
    inputSchema: {
      type: 'object',
      properties: {
        owner,
        repo,
        issue_number: issueNumber,
        title: { type: 'string', minLength: 1, maxLength: 256, description: 'The new title.' },
        body: markdown,
        state: { type: 'string', enum: ['open', 'closed'], description: 'Close or reopen the issue.' },
        state_reason: {
          type: 'string',
          enum: ['completed', 'not_planned', 'duplicate', 'reopened'],
          description: 'Why the state changed.',
        },
        labels: {
          type: 'array',
          items: { type: 'string', maxLength: 100 },
          maxItems: 100,
          description: 'Replaces all labels.',
        },
        assignees: {
          type: 'array',
          items: { type: 'string', maxLength: 100 },
          maxItems: 10,
          description: 'Replaces all assignees.',
        },
      },
      required: ['owner', 'repo', 'issue_number'],
      additionalProperties: false,
    },
    request: {
      method: 'PATCH',
      path: '/repos/{owner}/{repo}/issues/{issue_number}',
      body: {
        fields: {
          title: 'title',
          body: 'body',
          state: 'state',
          state_reason: 'state_reason',
          labels: 'labels',
          assignees: 'assignees',
        },
      },
    },
    responseSchema: issue,
    responseFieldMap: {
      number: 'number',
      title: 'title',
      state: 'state',
      state_reason: 'state_reason',
      url: 'html_url',
      updated_at: 'updated_at',
    },
    annotations: { readOnly: false, destructive: true, idempotent: true },
    docsUrl: 'https://docs.github.com/en/rest/issues/issues#update-an-issue',
  },
]
