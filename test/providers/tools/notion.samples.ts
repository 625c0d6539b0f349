import type { ToolSamples } from './sample.js'

// Shapes from the examples at https://developers.notion.com/reference (API version 2022-06-28):
// page, database, block and list objects, trimmed but keeping fields the tools' maps drop.

const user = { object: 'user', id: 'ee5f0f84-409a-440f-983a-a5315961c6e4' }
const annotations = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: 'default',
}
const richText = (content: string) => [
  { type: 'text', text: { content, link: null }, annotations, plain_text: content, href: null },
]

const kaleProperties = {
  'Store availability': {
    id: '%3AUPp',
    type: 'multi_select',
    multi_select: [{ id: 't|O@', name: 'Gus’s Community Market', color: 'yellow' }],
  },
  Name: { id: 'title', type: 'title', title: richText('Tuscan kale') },
}
const kale = {
  object: 'page',
  id: '59833787-2cf9-4fdf-8782-e53db20768a5',
  created_time: '2022-03-01T19:05:00.000Z',
  last_edited_time: '2022-07-06T20:25:00.000Z',
  created_by: user,
  last_edited_by: user,
  cover: null,
  icon: { type: 'emoji', emoji: '🥬' },
  parent: { type: 'database_id', database_id: 'd9824bdc-8445-4327-be8b-5b47500af6ce' },
  archived: false,
  properties: kaleProperties,
  url: 'https://www.notion.so/Tuscan-kale-598337872cf94fdf8782e53db20768a5',
}

const notesProperties = { title: { id: 'title', type: 'title', title: richText('Meeting notes') } }
const notes = {
  object: 'page',
  id: 'b55c9c91-384d-452b-81db-d1ef79372b75',
  created_time: '2022-08-10T15:01:00.000Z',
  last_edited_time: '2022-08-10T15:01:00.000Z',
  created_by: user,
  last_edited_by: user,
  cover: null,
  icon: null,
  parent: { type: 'page_id', page_id: '59833787-2cf9-4fdf-8782-e53db20768a5' },
  archived: false,
  properties: notesProperties,
  url: 'https://www.notion.so/Meeting-notes-b55c9c91384d452b81dbd1ef79372b75',
}

const paragraph = {
  object: 'block',
  id: 'c02fc1d3-db8b-45c5-a222-27595b15aea7',
  parent: { type: 'page_id', page_id: '59833787-2cf9-4fdf-8782-e53db20768a5' },
  created_time: '2022-03-01T19:05:00.000Z',
  last_edited_time: '2022-07-06T19:41:00.000Z',
  created_by: user,
  last_edited_by: user,
  has_children: false,
  archived: false,
  type: 'paragraph',
  paragraph: { rich_text: richText('Lacinato kale is a variety of kale.'), color: 'default' },
}
const newParagraph = {
  object: 'block',
  type: 'paragraph',
  paragraph: { rich_text: [{ type: 'text', text: { content: 'Lacinato kale is a variety of kale.' } }] },
}
const titleInput = { title: { title: [{ text: { content: 'Meeting notes' } }] } }

export const notionSamples: ToolSamples = {
  notion: [
    {
      slug: 'search',
      name: 'by title',
      input: { query: 'kale' },
      request: {
        method: 'POST',
        path: '/search',
        json: { query: 'kale', sort: { direction: 'descending', timestamp: 'last_edited_time' } },
      },
      response: {
        body: {
          object: 'list',
          results: [kale],
          next_cursor: null,
          has_more: false,
          type: 'page_or_database',
          page_or_database: {},
        },
      },
      output: {
        results: [
          {
            object: 'page',
            id: '59833787-2cf9-4fdf-8782-e53db20768a5',
            url: 'https://www.notion.so/Tuscan-kale-598337872cf94fdf8782e53db20768a5',
            last_edited_time: '2022-07-06T20:25:00.000Z',
            properties: kaleProperties,
          },
        ],
        next_cursor: null,
        has_more: false,
      },
    },
    {
      slug: 'search',
      name: 'pages only, paged',
      input: {
        filter: { property: 'object', value: 'page' },
        start_cursor: 'fe2cc560-036c-44cd-90e8-294d5a74cebc',
        page_size: 1,
      },
      request: {
        method: 'POST',
        path: '/search',
        json: {
          filter: { property: 'object', value: 'page' },
          sort: { direction: 'descending', timestamp: 'last_edited_time' },
          start_cursor: 'fe2cc560-036c-44cd-90e8-294d5a74cebc',
          page_size: 1,
        },
      },
      response: {
        body: {
          object: 'list',
          results: [notes],
          next_cursor: '2d9f6c8a-1e73-4b4e-8b3e-5f2a1c7d4a96',
          has_more: true,
          type: 'page_or_database',
          page_or_database: {},
        },
      },
      output: {
        results: [
          {
            object: 'page',
            id: 'b55c9c91-384d-452b-81db-d1ef79372b75',
            url: 'https://www.notion.so/Meeting-notes-b55c9c91384d452b81dbd1ef79372b75',
            last_edited_time: '2022-08-10T15:01:00.000Z',
            properties: notesProperties,
          },
        ],
        next_cursor: '2d9f6c8a-1e73-4b4e-8b3e-5f2a1c7d4a96',
        has_more: true,
      },
    },
    {
      slug: 'get_page',
      input: { page_id: '59833787-2cf9-4fdf-8782-e53db20768a5' },
      request: { method: 'GET', path: '/pages/59833787-2cf9-4fdf-8782-e53db20768a5' },
      response: { body: kale },
      output: {
        id: '59833787-2cf9-4fdf-8782-e53db20768a5',
        url: 'https://www.notion.so/Tuscan-kale-598337872cf94fdf8782e53db20768a5',
        parent: { type: 'database_id', database_id: 'd9824bdc-8445-4327-be8b-5b47500af6ce' },
        properties: kaleProperties,
        archived: false,
        created_time: '2022-03-01T19:05:00.000Z',
        last_edited_time: '2022-07-06T20:25:00.000Z',
      },
    },
    {
      slug: 'create_page',
      name: 'title only',
      input: { parent_page_id: '59833787-2cf9-4fdf-8782-e53db20768a5', properties: titleInput },
      request: {
        method: 'POST',
        path: '/pages',
        json: { parent: { page_id: '59833787-2cf9-4fdf-8782-e53db20768a5' }, properties: titleInput },
      },
      response: { body: notes },
      output: {
        id: 'b55c9c91-384d-452b-81db-d1ef79372b75',
        url: 'https://www.notion.so/Meeting-notes-b55c9c91384d452b81dbd1ef79372b75',
        created_time: '2022-08-10T15:01:00.000Z',
      },
    },
    {
      slug: 'create_page',
      name: 'with content',
      input: {
        parent_page_id: '59833787-2cf9-4fdf-8782-e53db20768a5',
        properties: titleInput,
        children: [newParagraph],
      },
      request: {
        method: 'POST',
        path: '/pages',
        json: {
          parent: { page_id: '59833787-2cf9-4fdf-8782-e53db20768a5' },
          properties: titleInput,
          children: [newParagraph],
        },
      },
      response: { body: notes },
      output: {
        id: 'b55c9c91-384d-452b-81db-d1ef79372b75',
        url: 'https://www.notion.so/Meeting-notes-b55c9c91384d452b81dbd1ef79372b75',
        created_time: '2022-08-10T15:01:00.000Z',
      },
    },
    {
      slug: 'create_database_item',
      input: {
        database_id: 'd9824bdc-8445-4327-be8b-5b47500af6ce',
        properties: {
          Name: { title: [{ text: { content: 'Tuscan kale' } }] },
          'Store availability': { multi_select: [{ name: 'Gus’s Community Market' }] },
        },
      },
      request: {
        method: 'POST',
        path: '/pages',
        json: {
          parent: { database_id: 'd9824bdc-8445-4327-be8b-5b47500af6ce' },
          properties: {
            Name: { title: [{ text: { content: 'Tuscan kale' } }] },
            'Store availability': { multi_select: [{ name: 'Gus’s Community Market' }] },
          },
        },
      },
      response: { body: kale },
      output: {
        id: '59833787-2cf9-4fdf-8782-e53db20768a5',
        url: 'https://www.notion.so/Tuscan-kale-598337872cf94fdf8782e53db20768a5',
        created_time: '2022-03-01T19:05:00.000Z',
      },
    },
    {
      slug: 'update_page_properties',
      name: 'set a property',
      input: {
        page_id: '59833787-2cf9-4fdf-8782-e53db20768a5',
        properties: { 'Store availability': { multi_select: [] } },
      },
      request: {
        method: 'PATCH',
        path: '/pages/59833787-2cf9-4fdf-8782-e53db20768a5',
        json: { properties: { 'Store availability': { multi_select: [] } } },
      },
      response: {
        body: {
          ...kale,
          last_edited_time: '2022-07-07T09:00:00.000Z',
          properties: {
            ...kaleProperties,
            'Store availability': { id: '%3AUPp', type: 'multi_select', multi_select: [] },
          },
        },
      },
      output: {
        id: '59833787-2cf9-4fdf-8782-e53db20768a5',
        url: 'https://www.notion.so/Tuscan-kale-598337872cf94fdf8782e53db20768a5',
        properties: {
          ...kaleProperties,
          'Store availability': { id: '%3AUPp', type: 'multi_select', multi_select: [] },
        },
        archived: false,
        last_edited_time: '2022-07-07T09:00:00.000Z',
      },
    },
    {
      slug: 'update_page_properties',
      name: 'archive',
      input: { page_id: 'b55c9c91-384d-452b-81db-d1ef79372b75', archived: true },
      request: {
        method: 'PATCH',
        path: '/pages/b55c9c91-384d-452b-81db-d1ef79372b75',
        json: { archived: true },
      },
      response: { body: { ...notes, archived: true } },
      output: {
        id: 'b55c9c91-384d-452b-81db-d1ef79372b75',
        url: 'https://www.notion.so/Meeting-notes-b55c9c91384d452b81dbd1ef79372b75',
        properties: notesProperties,
        archived: true,
        last_edited_time: '2022-08-10T15:01:00.000Z',
      },
    },
    {
      slug: 'get_block_children',
      name: 'first page',
      input: { block_id: '59833787-2cf9-4fdf-8782-e53db20768a5' },
      request: { method: 'GET', path: '/blocks/59833787-2cf9-4fdf-8782-e53db20768a5/children' },
      response: {
        body: {
          object: 'list',
          results: [paragraph],
          next_cursor: null,
          has_more: false,
          type: 'block',
          block: {},
        },
      },
      output: { blocks: [paragraph], next_cursor: null, has_more: false },
    },
    {
      slug: 'get_block_children',
      name: 'next page',
      input: {
        block_id: '59833787-2cf9-4fdf-8782-e53db20768a5',
        start_cursor: 'c02fc1d3-db8b-45c5-a222-27595b15aea7',
        page_size: 50,
      },
      request: {
        method: 'GET',
        path: '/blocks/59833787-2cf9-4fdf-8782-e53db20768a5/children',
        query: { start_cursor: 'c02fc1d3-db8b-45c5-a222-27595b15aea7', page_size: '50' },
      },
      response: {
        body: { object: 'list', results: [], next_cursor: null, has_more: false, type: 'block', block: {} },
      },
      output: { blocks: [], next_cursor: null, has_more: false },
    },
    {
      slug: 'append_block_children',
      name: 'at the end',
      input: { block_id: '59833787-2cf9-4fdf-8782-e53db20768a5', children: [newParagraph] },
      request: {
        method: 'PATCH',
        path: '/blocks/59833787-2cf9-4fdf-8782-e53db20768a5/children',
        json: { children: [newParagraph] },
      },
      response: {
        body: {
          object: 'list',
          results: [paragraph],
          next_cursor: null,
          has_more: false,
          type: 'block',
          block: {},
        },
      },
      output: { blocks: [{ id: 'c02fc1d3-db8b-45c5-a222-27595b15aea7', type: 'paragraph' }] },
    },
    {
      slug: 'append_block_children',
      name: 'after a block',
      input: {
        block_id: '59833787-2cf9-4fdf-8782-e53db20768a5',
        children: [newParagraph],
        after: 'acc7eb06-05cd-4603-a384-5e1e4f1f4e72',
      },
      request: {
        method: 'PATCH',
        path: '/blocks/59833787-2cf9-4fdf-8782-e53db20768a5/children',
        json: { children: [newParagraph], after: 'acc7eb06-05cd-4603-a384-5e1e4f1f4e72' },
      },
      response: {
        body: {
          object: 'list',
          results: [paragraph],
          next_cursor: null,
          has_more: false,
          type: 'block',
          block: {},
        },
      },
      output: { blocks: [{ id: 'c02fc1d3-db8b-45c5-a222-27595b15aea7', type: 'paragraph' }] },
    },
    {
      slug: 'query_database',
      name: 'all rows',
      input: { database_id: 'd9824bdc-8445-4327-be8b-5b47500af6ce' },
      request: { method: 'POST', path: '/databases/d9824bdc-8445-4327-be8b-5b47500af6ce/query', json: {} },
      response: {
        body: {
          object: 'list',
          results: [kale],
          next_cursor: null,
          has_more: false,
          type: 'page_or_database',
          page_or_database: {},
        },
      },
      output: {
        results: [
          {
            id: '59833787-2cf9-4fdf-8782-e53db20768a5',
            url: 'https://www.notion.so/Tuscan-kale-598337872cf94fdf8782e53db20768a5',
            properties: kaleProperties,
            last_edited_time: '2022-07-06T20:25:00.000Z',
          },
        ],
        next_cursor: null,
        has_more: false,
      },
    },
    {
      slug: 'query_database',
      name: 'filtered and sorted',
      input: {
        database_id: 'd9824bdc-8445-4327-be8b-5b47500af6ce',
        filter: { property: 'Store availability', multi_select: { contains: 'Gus’s Community Market' } },
        sorts: [{ property: 'Name', direction: 'ascending' }],
        page_size: 10,
      },
      request: {
        method: 'POST',
        path: '/databases/d9824bdc-8445-4327-be8b-5b47500af6ce/query',
        json: {
          filter: { property: 'Store availability', multi_select: { contains: 'Gus’s Community Market' } },
          sorts: [{ property: 'Name', direction: 'ascending' }],
          page_size: 10,
        },
      },
      response: {
        body: {
          object: 'list',
          results: [],
          next_cursor: null,
          has_more: false,
          type: 'page_or_database',
          page_or_database: {},
        },
      },
      output: { results: [], next_cursor: null, has_more: false },
    },
    {
      slug: 'append_paragraph',
      input: {
        block_id: '59833787-2cf9-4fdf-8782-e53db20768a5',
        text: 'Lacinato kale is a variety of kale.',
      },
      request: {
        method: 'PATCH',
        path: '/blocks/59833787-2cf9-4fdf-8782-e53db20768a5/children',
        json: { children: [newParagraph] },
      },
      response: {
        body: {
          object: 'list',
          results: [paragraph],
          next_cursor: null,
          has_more: false,
          type: 'block',
          block: {},
        },
      },
      output: { blocks: [{ id: 'c02fc1d3-db8b-45c5-a222-27595b15aea7', type: 'paragraph' }] },
    },
    {
      slug: 'create_titled_page',
      input: { parent_page_id: '59833787-2cf9-4fdf-8782-e53db20768a5', title: 'Meeting notes' },
      request: {
        method: 'POST',
        path: '/pages',
        json: { parent: { page_id: '59833787-2cf9-4fdf-8782-e53db20768a5' }, properties: titleInput },
      },
      response: { body: notes },
      output: {
        id: 'b55c9c91-384d-452b-81db-d1ef79372b75',
        url: 'https://www.notion.so/Meeting-notes-b55c9c91384d452b81dbd1ef79372b75',
        created_time: '2022-08-10T15:01:00.000Z',
      },
    },
  ],
}
