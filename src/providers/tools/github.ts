import type { ToolDefinition } from '../tool-definition.js'
import { direction, GITHUB_ISSUE_TOOLS, issueArray, owner, page, perPage, repo } from './github-issues.js'

/** Tools for the github and github_enterprise_cloud presets (the same REST API on each host). */
export const GITHUB_TOOLS: ToolDefinition[] = [
  {
    slug: 'list_repositories',
    displayName: 'List repositories',
    description:
      'List the repositories the connected user can access (own, collaborator, organization member), by full name unless sorted otherwise.',
    inputSchema: {
      type: 'object',
      properties: {
        visibility: {
          type: 'string',
          enum: ['all', 'public', 'private'],
          description: 'Only these repositories.',
        },
        affiliation: {
          type: 'string',
          maxLength: 60,
          description: 'Comma-separated: owner, collaborator, organization_member (default all three).',
        },
        sort: {
          type: 'string',
          enum: ['created', 'updated', 'pushed', 'full_name'],
          description: 'Sort field.',
        },
        direction,
        per_page: perPage,
        page,
      },
      required: [],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: '/user/repos',
      query: {
        visibility: 'visibility',
        affiliation: 'affiliation',
        sort: 'sort',
        direction: 'direction',
        per_page: 'per_page',
        page: 'page',
      },
    },
    responseSchema: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          full_name: { type: 'string' },
          private: { type: 'boolean' },
          html_url: { type: 'string' },
          description: { type: ['string', 'null'] },
          default_branch: { type: 'string' },
          updated_at: { type: 'string' },
        },
      },
    },
    responseFieldMap: {
      'repositories[].id': '[].id',
      'repositories[].full_name': '[].full_name',
      'repositories[].private': '[].private',
      'repositories[].url': '[].html_url',
      'repositories[].description': '[].description',
      'repositories[].default_branch': '[].default_branch',
      'repositories[].updated_at': '[].updated_at',
    },
    annotations: { readOnly: true, idempotent: true },
    docsUrl: 'https://docs.github.com/en/rest/repos/repos#list-repositories-for-the-authenticated-user',
  },
  ...GITHUB_ISSUE_TOOLS,
  {
    slug: 'list_pull_requests',
    displayName: 'List pull requests',
    description:
      "List a repository's pull requests, open ones by default, optionally by base or head branch.",
    inputSchema: {
      type: 'object',
      properties: {
        owner,
        repo,
        state: { type: 'string', enum: ['open', 'closed', 'all'], description: 'Default open.' },
        head: {
          type: 'string',
          maxLength: 200,
          description: 'Head as `user:ref-name` or `organization:ref-name`.',
        },
        base: { type: 'string', maxLength: 200, description: 'Base branch name.' },
        sort: {
          type: 'string',
          enum: ['created', 'updated', 'popularity', 'long-running'],
          description: 'Default created.',
        },
        direction,
        per_page: perPage,
        page,
      },
      required: ['owner', 'repo'],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: '/repos/{owner}/{repo}/pulls',
      query: {
        state: 'state',
        head: 'head',
        base: 'base',
        sort: 'sort',
        direction: 'direction',
        per_page: 'per_page',
        page: 'page',
      },
    },
    responseSchema: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          number: { type: 'integer' },
          title: { type: 'string' },
          state: { type: 'string' },
          draft: { type: 'boolean' },
          html_url: { type: 'string' },
          user: { type: ['object', 'null'], properties: { login: { type: 'string' } } },
          head: { type: 'object', properties: { ref: { type: 'string' } } },
          base: { type: 'object', properties: { ref: { type: 'string' } } },
          updated_at: { type: 'string' },
        },
      },
    },
    responseFieldMap: {
      'pull_requests[].number': '[].number',
      'pull_requests[].title': '[].title',
      'pull_requests[].state': '[].state',
      'pull_requests[].draft': '[].draft',
      'pull_requests[].url': '[].html_url',
      'pull_requests[].author': '[].user.login',
      'pull_requests[].head': '[].head.ref',
      'pull_requests[].base': '[].base.ref',
      'pull_requests[].updated_at': '[].updated_at',
    },
    annotations: { readOnly: true, idempotent: true },
    docsUrl: 'https://docs.github.com/en/rest/pulls/pulls#list-pull-requests',
  },
  {
    slug: 'search_issues',
    displayName: 'Search issues and pull requests',
    description:
      'Search issues or pull requests across GitHub with qualifiers, AND/OR and parentheses; say is:issue or is:pr, e.g. `repo:acme/api is:issue is:open label:bug`.',
    inputSchema: {
      type: 'object',
      properties: {
        q: { type: 'string', minLength: 1, maxLength: 256, description: 'Search keywords and qualifiers.' },
        sort: {
          type: 'string',
          enum: ['comments', 'reactions', 'interactions', 'created', 'updated'],
          description: 'Default: best match.',
        },
        order: { type: 'string', enum: ['asc', 'desc'], description: 'Sort order when sort is given.' },
        per_page: perPage,
        page,
      },
      required: ['q'],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: '/search/issues',
      // Issue search without advanced_search was deprecated (removal announced for 2025-09-04):
      // https://github.blog/changelog/2025-03-06-github-issues-projects-api-support-for-issues-advanced-search-and-more/
      query: {
        q: 'q',
        advanced_search: { const: 'true' },
        sort: 'sort',
        order: 'order',
        per_page: 'per_page',
        page: 'page',
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        total_count: { type: 'integer' },
        incomplete_results: { type: 'boolean' },
        items: issueArray,
      },
    },
    responseFieldMap: {
      total_count: 'total_count',
      'items[].number': 'items[].number',
      'items[].title': 'items[].title',
      'items[].state': 'items[].state',
      'items[].url': 'items[].html_url',
      'items[].author': 'items[].user.login',
      'items[].updated_at': 'items[].updated_at',
    },
    annotations: { readOnly: true, idempotent: true },
    docsUrl: 'https://docs.github.com/en/rest/search/search#search-issues-and-pull-requests',
  },
]
