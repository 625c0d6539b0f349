import type { JsonSchema, ToolDefinition } from '../tool-definition.js'
import { blockId, blockList, page, pageId } from './notion.js'

// Notion tools that take plain text and build Notion's objects from it (Notion-Version 2022-06-28,
// read 2026-12-07 at each docsUrl): a rich text array holds one text object of at most 2000 characters.
// https://developers.notion.com/reference/request-limits

const plainText = (what: string): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength: 2000,
  description: `${what} as plain text (at most 2000 characters).`,
})

export const NOTION_TEXT_TOOLS: ToolDefinition[] = [
  {
    slug: 'append_paragraph',
    displayName: 'Append paragraph',
    description:
      'Add one paragraph of plain text at the end of a page (or of a block that can have children).',
    inputSchema: {
      type: 'object',
      properties: { block_id: blockId, text: plainText('The paragraph') },
      required: ['block_id', 'text'],
      additionalProperties: false,
    },
    request: {
      method: 'PATCH',
      path: '/blocks/{block_id}/children',
      body: {
        fields: {
          'children.0.object': { const: 'block' },
          'children.0.type': { const: 'paragraph' },
          'children.0.paragraph.rich_text.0.type': { const: 'text' },
          'children.0.paragraph.rich_text.0.text.content': 'text',
        },
      },
    },
    responseSchema: blockList,
    responseFieldMap: { 'blocks[].id': 'results[].id', 'blocks[].type': 'results[].type' },
    annotations: { readOnly: false },
    docsUrl: 'https://developers.notion.com/reference/patch-block-children',
  },
  {
    slug: 'create_titled_page',
    displayName: 'Create page with title',
    description:
      'Create an empty page with a plain-text title inside another page; add its text with append_paragraph.',
    inputSchema: {
      type: 'object',
      properties: { parent_page_id: pageId, title: plainText('The page’s title') },
      required: ['parent_page_id', 'title'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/pages',
      body: {
        fields: {
          'parent.page_id': 'parent_page_id',
          'properties.title.title.0.text.content': 'title',
        },
      },
    },
    responseSchema: page,
    responseFieldMap: { id: 'id', url: 'url', created_time: 'created_time' },
    annotations: { readOnly: false },
    docsUrl: 'https://developers.notion.com/reference/post-page',
  },
]
