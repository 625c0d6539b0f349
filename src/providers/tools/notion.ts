import type { JsonSchema, ToolDefinition } from '../tool-definition.js'

// Notion API as of Notion-Version 2022-06-28 (the header the preset sends): databases, not data
// sources. Read 2026-12-07 at each tool's docsUrl. Property values, filters and blocks are Notion's
// own JSON objects, passed through as given; notion-text.ts has the tools that take plain text.

const uuid: JsonSchema = { type: 'string', minLength: 32, maxLength: 36, pattern: '^[0-9a-fA-F-]{32,36}$' }
export const pageId: JsonSchema = { ...uuid, description: 'The page’s ID (a UUID, with or without dashes).' }
const databaseId: JsonSchema = { ...uuid, description: 'The database’s ID (a UUID, with or without dashes).' }
export const blockId: JsonSchema = {
  ...uuid,
  description: 'The block’s ID; a page ID reads or writes the page’s content.',
}
const startCursor: JsonSchema = {
  type: 'string',
  maxLength: 100,
  description: 'next_cursor of the previous page.',
}
const pageSize: JsonSchema = {
  type: 'integer',
  minimum: 1,
  maximum: 100,
  description: 'Page size (default 100).',
}
const properties: JsonSchema = {
  type: 'object',
  description:
    'Property values by property name, in Notion’s shape, e.g. {"Name": {"title": [{"text": {"content": "Q3 plan"}}]}, "Status": {"select": {"name": "Done"}}}.',
}
const children: JsonSchema = {
  type: 'array',
  items: { type: 'object' },
  minItems: 1,
  maxItems: 100,
  description:
    'Block objects, e.g. {"object": "block", "type": "paragraph", "paragraph": {"rich_text": [{"type": "text", "text": {"content": "Hello"}}]}} (text at most 2000 characters each).',
}

export const page: JsonSchema = {
  type: 'object',
  properties: {
    object: { type: 'string' },
    id: { type: 'string' },
    url: { type: 'string' },
    created_time: { type: 'string' },
    last_edited_time: { type: 'string' },
    archived: { type: 'boolean' },
    parent: { type: 'object' },
    properties: { type: 'object' },
  },
}
const pageMap = {
  id: 'id',
  url: 'url',
  parent: 'parent',
  properties: 'properties',
  archived: 'archived',
  created_time: 'created_time',
  last_edited_time: 'last_edited_time',
}
const pageList: JsonSchema = {
  type: 'object',
  properties: {
    object: { type: 'string' },
    results: { type: 'array', items: page },
    next_cursor: { type: ['string', 'null'] },
    has_more: { type: 'boolean' },
  },
}
export const blockList: JsonSchema = {
  type: 'object',
  properties: {
    object: { type: 'string' },
    results: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id: { type: 'string' }, type: { type: 'string' }, has_children: { type: 'boolean' } },
      },
    },
    next_cursor: { type: ['string', 'null'] },
    has_more: { type: 'boolean' },
  },
}

export const NOTION_TOOLS: ToolDefinition[] = [
  {
    slug: 'search',
    displayName: 'Search',
    description:
      'Find pages and databases shared with the integration by title, most recently edited first; an empty query lists them all.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', maxLength: 500, description: 'Words in the title.' },
        filter: {
          type: 'object',
          properties: {
            property: { const: 'object', description: 'Always "object".' },
            value: {
              type: 'string',
              enum: ['page', 'database'],
              description: 'Only pages or only databases.',
            },
          },
          required: ['property', 'value'],
          additionalProperties: false,
          description: 'Only one kind of result: {"property": "object", "value": "page"}.',
        },
        start_cursor: startCursor,
        page_size: pageSize,
      },
      required: [],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/search',
      body: {
        fields: {
          query: 'query',
          filter: 'filter',
          'sort.direction': { const: 'descending' },
          'sort.timestamp': { const: 'last_edited_time' },
          start_cursor: 'start_cursor',
          page_size: 'page_size',
        },
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        results: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              object: { type: 'string', enum: ['page', 'database'] },
              id: { type: 'string' },
              url: { type: 'string' },
              last_edited_time: { type: 'string' },
              properties: { type: 'object' },
            },
          },
        },
        next_cursor: { type: ['string', 'null'] },
        has_more: { type: 'boolean' },
      },
    },
    responseFieldMap: {
      'results[].object': 'results[].object',
      'results[].id': 'results[].id',
      'results[].url': 'results[].url',
      'results[].last_edited_time': 'results[].last_edited_time',
      'results[].properties': 'results[].properties',
      next_cursor: 'next_cursor',
      has_more: 'has_more',
    },
    annotations: { readOnly: true, idempotent: true },
    docsUrl: 'https://developers.notion.com/reference/post-search',
  },
  {
    slug: 'get_page',
    displayName: 'Get page',
    description:
      'Read a page’s properties (title and, in a database, its columns); its content is get_block_children.',
    inputSchema: {
      type: 'object',
      properties: { page_id: pageId },
      required: ['page_id'],
      additionalProperties: false,
    },
    request: { method: 'GET', path: '/pages/{page_id}' },
    responseSchema: page,
    responseFieldMap: pageMap,
    annotations: { readOnly: true, idempotent: true },
    docsUrl: 'https://developers.notion.com/reference/retrieve-a-page',
  },
  {
    slug: 'create_page',
    displayName: 'Create page',
    description:
      'Create a page inside another page, with a title and optional content blocks. Its only property is title: {"title": {"title": [{"text": {"content": "Notes"}}]}}.',
    inputSchema: {
      type: 'object',
      properties: { parent_page_id: pageId, properties, children },
      required: ['parent_page_id', 'properties'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/pages',
      body: {
        fields: { 'parent.page_id': 'parent_page_id', properties: 'properties', children: 'children' },
      },
    },
    responseSchema: page,
    responseFieldMap: { id: 'id', url: 'url', created_time: 'created_time' },
    annotations: { readOnly: false },
    docsUrl: 'https://developers.notion.com/reference/post-page',
  },
  {
    slug: 'create_database_item',
    displayName: 'Add database item',
    description:
      'Add a row (a page) to a database, with values for its properties by name (query_database shows their names and types).',
    inputSchema: {
      type: 'object',
      properties: { database_id: databaseId, properties, children },
      required: ['database_id', 'properties'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/pages',
      body: {
        fields: { 'parent.database_id': 'database_id', properties: 'properties', children: 'children' },
      },
    },
    responseSchema: page,
    responseFieldMap: { id: 'id', url: 'url', created_time: 'created_time' },
    annotations: { readOnly: false },
    docsUrl: 'https://developers.notion.com/reference/post-page',
  },
  {
    slug: 'update_page_properties',
    displayName: 'Update page properties',
    description:
      'Set some properties of a page (others are kept), or archive it (archived: true moves it to the trash, false restores it).',
    inputSchema: {
      type: 'object',
      properties: {
        page_id: pageId,
        properties,
        archived: { type: 'boolean', description: 'true moves the page to the trash; false restores it.' },
      },
      required: ['page_id'],
      additionalProperties: false,
    },
    request: {
      method: 'PATCH',
      path: '/pages/{page_id}',
      body: { fields: { properties: 'properties', archived: 'archived' } },
    },
    responseSchema: page,
    responseFieldMap: {
      id: 'id',
      url: 'url',
      properties: 'properties',
      archived: 'archived',
      last_edited_time: 'last_edited_time',
    },
    annotations: { readOnly: false, destructive: true, idempotent: true },
    docsUrl: 'https://developers.notion.com/reference/patch-page',
  },
  {
    slug: 'get_block_children',
    displayName: 'Read page content',
    description:
      'Read the content of a page (or of a block with has_children) as Notion blocks, a page at a time; nested blocks need another call.',
    inputSchema: {
      type: 'object',
      properties: { block_id: blockId, start_cursor: startCursor, page_size: pageSize },
      required: ['block_id'],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: '/blocks/{block_id}/children',
      query: { start_cursor: 'start_cursor', page_size: 'page_size' },
    },
    responseSchema: blockList,
    responseFieldMap: { blocks: 'results', next_cursor: 'next_cursor', has_more: 'has_more' },
    annotations: { readOnly: true, idempotent: true },
    docsUrl: 'https://developers.notion.com/reference/get-block-children',
  },
  {
    slug: 'append_block_children',
    displayName: 'Append content',
    description:
      'Add blocks (paragraphs, headings, to-dos, …) at the end of a page or block, or after one of its blocks.',
    inputSchema: {
      type: 'object',
      properties: {
        block_id: blockId,
        children,
        after: { ...uuid, description: 'Insert after this child block instead of at the end.' },
      },
      required: ['block_id', 'children'],
      additionalProperties: false,
    },
    request: {
      method: 'PATCH',
      path: '/blocks/{block_id}/children',
      body: { fields: { children: 'children', after: 'after' } },
    },
    responseSchema: blockList,
    responseFieldMap: { 'blocks[].id': 'results[].id', 'blocks[].type': 'results[].type' },
    annotations: { readOnly: false },
    docsUrl: 'https://developers.notion.com/reference/patch-block-children',
  },
  {
    slug: 'query_database',
    displayName: 'Query database',
    description:
      'List a database’s rows (pages) with their property values, optionally filtered and sorted with Notion’s filter and sort objects.',
    inputSchema: {
      type: 'object',
      properties: {
        database_id: databaseId,
        filter: {
          type: 'object',
          description:
            'A Notion filter, e.g. {"property": "Status", "status": {"equals": "Done"}} or {"and": […]}.',
        },
        sorts: {
          type: 'array',
          items: { type: 'object' },
          maxItems: 10,
          description:
            'e.g. [{"property": "Due", "direction": "ascending"}] or [{"timestamp": "last_edited_time", "direction": "descending"}].',
        },
        start_cursor: startCursor,
        page_size: pageSize,
      },
      required: ['database_id'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/databases/{database_id}/query',
      body: {
        fields: { filter: 'filter', sorts: 'sorts', start_cursor: 'start_cursor', page_size: 'page_size' },
      },
    },
    responseSchema: pageList,
    responseFieldMap: {
      'results[].id': 'results[].id',
      'results[].url': 'results[].url',
      'results[].properties': 'results[].properties',
      'results[].last_edited_time': 'results[].last_edited_time',
      next_cursor: 'next_cursor',
      has_more: 'has_more',
    },
    annotations: { readOnly: true, idempotent: true },
    docsUrl: 'https://developers.notion.com/reference/post-database-query',
  },
]
