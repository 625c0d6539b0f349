import type { ToolSamples } from './sample.js'

// Shapes of the Bot API's types (https://core.telegram.org/bots/api#available-types): User, Chat,
// ChatFullInfo, Message, PhotoSize, Update, inside `{ ok: true, result }`.

const bot = { id: 7123456789, is_bot: true, first_name: 'Acme Helper', username: 'acme_helper_bot' }
const team = { id: -1001234567890, title: 'Acme Team', username: 'acme_team', type: 'supergroup' }
const alice = {
  id: 123456789,
  is_bot: false,
  first_name: 'Alice',
  last_name: 'Smith',
  username: 'alice',
  language_code: 'en',
}

export const telegramSamples: ToolSamples = {
  telegram: [
    {
      slug: 'get_me',
      input: {},
      request: { method: 'GET', path: '/getMe' },
      response: {
        body: {
          ok: true,
          result: {
            ...bot,
            can_join_groups: true,
            can_read_all_group_messages: false,
            supports_inline_queries: false,
            can_connect_to_business: false,
            has_main_web_app: false,
          },
        },
      },
      output: {
        id: 7123456789,
        first_name: 'Acme Helper',
        username: 'acme_helper_bot',
        can_join_groups: true,
        can_read_all_group_messages: false,
      },
    },
    {
      slug: 'send_message',
      name: 'plain text',
      input: { chat_id: -1001234567890, text: 'Build 412 passed' },
      request: {
        method: 'POST',
        path: '/sendMessage',
        json: { chat_id: -1001234567890, text: 'Build 412 passed' },
      },
      response: {
        body: {
          ok: true,
          result: { message_id: 4242, from: bot, chat: team, date: 1765112400, text: 'Build 412 passed' },
        },
      },
      output: { message_id: 4242, chat_id: -1001234567890, date: 1765112400, text: 'Build 412 passed' },
    },
    {
      slug: 'send_message',
      name: 'HTML reply without link preview',
      input: {
        chat_id: '@acme_team',
        text: '<b>Fixed</b> in https://example.com/pr/7',
        parse_mode: 'HTML',
        reply_to_message_id: 4241,
        disable_link_preview: true,
        disable_notification: true,
      },
      request: {
        method: 'POST',
        path: '/sendMessage',
        json: {
          chat_id: '@acme_team',
          text: '<b>Fixed</b> in https://example.com/pr/7',
          parse_mode: 'HTML',
          reply_parameters: { message_id: 4241 },
          link_preview_options: { is_disabled: true },
          disable_notification: true,
        },
      },
      response: {
        body: {
          ok: true,
          result: {
            message_id: 4243,
            from: bot,
            chat: team,
            date: 1765112460,
            reply_to_message: {
              message_id: 4241,
              from: alice,
              chat: team,
              date: 1765112300,
              text: 'Is the login bug fixed?',
            },
            text: 'Fixed in https://example.com/pr/7',
            entities: [
              { offset: 0, length: 5, type: 'bold' },
              { offset: 9, length: 24, type: 'url' },
            ],
            link_preview_options: { is_disabled: true },
          },
        },
      },
      output: {
        message_id: 4243,
        chat_id: -1001234567890,
        date: 1765112460,
        text: 'Fixed in https://example.com/pr/7',
      },
    },
    {
      slug: 'send_photo',
      name: 'photo only',
      input: { chat_id: 123456789, photo: 'https://example.com/chart.png' },
      request: {
        method: 'POST',
        path: '/sendPhoto',
        json: { chat_id: 123456789, photo: 'https://example.com/chart.png' },
      },
      response: {
        body: {
          ok: true,
          result: {
            message_id: 77,
            from: bot,
            chat: {
              id: 123456789,
              first_name: 'Alice',
              last_name: 'Smith',
              username: 'alice',
              type: 'private',
            },
            date: 1765112500,
            photo: [
              {
                file_id: 'AgACAgQAAxkDAAIBTWc1',
                file_unique_id: 'AQADs7kxG1',
                file_size: 1312,
                width: 90,
                height: 51,
              },
              {
                file_id: 'AgACAgQAAxkDAAIBTWc2',
                file_unique_id: 'AQADs7kxG2',
                file_size: 20480,
                width: 800,
                height: 450,
              },
            ],
          },
        },
      },
      output: { message_id: 77, chat_id: 123456789, date: 1765112500 },
    },
    {
      slug: 'send_photo',
      name: 'with a Markdown caption, as a reply',
      input: {
        chat_id: -1001234567890,
        photo: 'https://example.com/chart.png',
        caption: '*Weekly* signups',
        parse_mode: 'MarkdownV2',
        reply_to_message_id: 4243,
        disable_notification: false,
      },
      request: {
        method: 'POST',
        path: '/sendPhoto',
        json: {
          chat_id: -1001234567890,
          photo: 'https://example.com/chart.png',
          caption: '*Weekly* signups',
          parse_mode: 'MarkdownV2',
          reply_parameters: { message_id: 4243 },
          disable_notification: false,
        },
      },
      response: {
        body: {
          ok: true,
          result: {
            message_id: 4244,
            from: bot,
            chat: team,
            date: 1765112520,
            photo: [
              {
                file_id: 'AgACAgQAAxkDAAIBTmc3',
                file_unique_id: 'AQADs7kxG3',
                file_size: 1312,
                width: 90,
                height: 51,
              },
            ],
            caption: 'Weekly signups',
            caption_entities: [{ offset: 0, length: 6, type: 'bold' }],
          },
        },
      },
      output: { message_id: 4244, chat_id: -1001234567890, date: 1765112520, caption: 'Weekly signups' },
    },
    {
      slug: 'forward_message',
      input: {
        chat_id: 123456789,
        from_chat_id: -1001234567890,
        message_id: 4242,
        disable_notification: true,
      },
      request: {
        method: 'POST',
        path: '/forwardMessage',
        json: {
          chat_id: 123456789,
          from_chat_id: -1001234567890,
          message_id: 4242,
          disable_notification: true,
        },
      },
      response: {
        body: {
          ok: true,
          result: {
            message_id: 78,
            from: bot,
            chat: { id: 123456789, first_name: 'Alice', username: 'alice', type: 'private' },
            date: 1765112600,
            forward_origin: { type: 'channel', chat: team, message_id: 4242, date: 1765112400 },
            text: 'Build 412 passed',
          },
        },
      },
      output: { message_id: 78, chat_id: 123456789, date: 1765112600 },
    },
    {
      slug: 'get_chat',
      input: { chat_id: -1001234567890 },
      request: { method: 'GET', path: '/getChat', query: { chat_id: '-1001234567890' } },
      response: {
        body: {
          ok: true,
          result: {
            ...team,
            accent_color_id: 3,
            max_reaction_count: 11,
            description: 'Where Acme ships things',
            invite_link: 'https://t.me/+AbCdEfGhIjKlMnOp',
            permissions: { can_send_messages: true, can_pin_messages: false },
          },
        },
      },
      output: {
        id: -1001234567890,
        type: 'supergroup',
        title: 'Acme Team',
        username: 'acme_team',
        description: 'Where Acme ships things',
      },
    },
    {
      slug: 'pin_chat_message',
      name: 'with a notification',
      input: { chat_id: -1001234567890, message_id: 4242 },
      request: {
        method: 'POST',
        path: '/pinChatMessage',
        json: { chat_id: -1001234567890, message_id: 4242 },
      },
      response: { body: { ok: true, result: true } },
      output: { pinned: true },
    },
    {
      slug: 'pin_chat_message',
      name: 'silently',
      input: { chat_id: -1001234567890, message_id: 4242, disable_notification: true },
      request: {
        method: 'POST',
        path: '/pinChatMessage',
        json: { chat_id: -1001234567890, message_id: 4242, disable_notification: true },
      },
      response: { body: { ok: true, result: true } },
      output: { pinned: true },
    },
    {
      slug: 'delete_message',
      input: { chat_id: -1001234567890, message_id: 4243 },
      request: {
        method: 'POST',
        path: '/deleteMessage',
        json: { chat_id: -1001234567890, message_id: 4243 },
      },
      response: { body: { ok: true, result: true } },
      output: { deleted: true },
    },
    {
      slug: 'get_updates',
      name: 'pending updates',
      input: {},
      request: { method: 'POST', path: '/getUpdates', json: {} },
      response: {
        body: {
          ok: true,
          result: [
            {
              update_id: 815570001,
              message: {
                message_id: 4241,
                from: alice,
                chat: team,
                date: 1765112300,
                text: 'Is the login bug fixed?',
              },
            },
          ],
        },
      },
      output: {
        updates: [
          {
            update_id: 815570001,
            message_id: 4241,
            chat_id: -1001234567890,
            from_id: 123456789,
            date: 1765112300,
            text: 'Is the login bug fixed?',
          },
        ],
      },
    },
    {
      slug: 'get_updates',
      name: 'confirm earlier ones, messages only',
      input: { offset: 815570002, limit: 10, allowed_updates: ['message'] },
      request: {
        method: 'POST',
        path: '/getUpdates',
        json: { offset: 815570002, limit: 10, allowed_updates: ['message'] },
      },
      response: { body: { ok: true, result: [] } },
      output: { updates: [] },
    },
  ],
}
