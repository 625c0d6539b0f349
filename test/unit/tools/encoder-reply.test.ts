import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { JsonValue, ToolDefinition } from '../../../src/providers/tool-definition.js'
import { checkToolDefinitions } from '../../../src/tools/definition-check.js'
import { rfc822Message } from '../../../src/tools/encoders.js'
import { ToolInputError } from '../../../src/tools/problems.js'
import { buildRequest } from '../../../src/tools/request.js'

const headersOf = (raw: string): string[] => {
  const head = Buffer.from(raw, 'base64url').toString().split('\r\n\r\n')[0] ?? ''
  return head.replaceAll(/(\r\n|\r|\n)[ \t]/g, ' ').split(/\r\n|\r|\n/)
}

const sendInThread: ToolDefinition = {
  slug: 'send_message',
  displayName: 'Send email',
  description: 'Send a plain text email, optionally in a thread.',
  inputSchema: {
    type: 'object',
    properties: {
      to: { type: 'string' },
      subject: { type: 'string' },
      body: { type: 'string' },
      threadId: { type: 'string' },
      inReplyTo: { type: 'string' },
      raw: { type: 'string' },
    },
    required: ['to'],
    additionalProperties: false,
  },
  request: {
    method: 'POST',
    path: '/gmail/v1/users/me/messages/send',
    encoder: 'rfc822_message',
    body: { fields: { raw: 'raw', threadId: 'threadId' } },
  },
  responseSchema: null,
  responseFieldMap: {},
  annotations: { readOnly: false },
  docsUrl: 'https://developers.google.com/gmail/api/reference/rest/v1/users.messages/send',
}

describe('an encoder with extra body fields', () => {
  it('reads the encoder’s output merged over the input: threadId passes, raw is always the encoder’s', () => {
    const input = { to: 'a@example.com', subject: 'Re: Plan', threadId: '18c8f4b6', raw: 'forged' }
    const body = JSON.parse(
      new TextDecoder().decode(buildRequest(sendInThread, input).body ?? new Uint8Array()),
    )
    expect(body).toEqual({ raw: rfc822Message(input).raw, threadId: '18c8f4b6' })
    expect(checkToolDefinitions('gmail', [sendInThread])).toEqual([])
  })
})

describe('rfc822Message replies', () => {
  it('adds In-Reply-To and References', () => {
    const { raw } = rfc822Message({
      to: 'a@example.com',
      subject: 'Re: Plan',
      inReplyTo: '<CAB2@mail.gmail.com>',
      references: ['<CAA1@mail.gmail.com>', '<CAB2@mail.gmail.com>'],
    })
    expect(headersOf(raw)).toContain('In-Reply-To: <CAB2@mail.gmail.com>')
    expect(headersOf(raw)).toContain('References: <CAA1@mail.gmail.com> <CAB2@mail.gmail.com>')
    expect(headersOf(rfc822Message({ to: 'a@b.c', references: '<x@y>' }).raw)).toContain('References: <x@y>')
  })

  it.each<[Record<string, JsonValue>, string]>([
    [{ inReplyTo: 'CAB2@mail.gmail.com' }, '/inReplyTo'],
    [{ inReplyTo: '<a@b>\r\nBcc: evil@x.y' }, '/inReplyTo'],
    [{ inReplyTo: '<a b@c>' }, '/inReplyTo'],
    [{ inReplyTo: ['<a@b>'] }, '/inReplyTo'],
    [{ references: ['<a@b>', '<c@d> <e@f>'] }, '/references/1'],
    [{ references: 7 }, '/references'],
    [{ references: Array.from({ length: 101 }, (_, n) => `<${n}@x>`) }, '/references'],
  ])('refuses %j at %s', (extra, pointer) => {
    const run = () => rfc822Message({ to: 'a@b.c', ...extra })
    expect(run).toThrow(ToolInputError)
    try {
      run()
    } catch (error) {
      expect((error as ToolInputError).problems[0]).toMatchObject({ pointer })
    }
  })

  it('never lets a Message-ID add a header line', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom('<', '>', '@', '\r\n', '\n', 'Bcc: evil@x.y', ' ', 'a@b'),
    )
    const id = fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join(''))
    fc.assert(
      fc.property(id, fc.oneof(id, fc.array(id, { maxLength: 3 })), (inReplyTo, references) => {
        let raw: string
        try {
          raw = rfc822Message({ to: 'a@b.c', subject: 'Re', inReplyTo, references }).raw
        } catch (error) {
          expect(error).toBeInstanceOf(ToolInputError)
          return
        }
        const names = headersOf(raw).map((line) => line.split(':')[0])
        expect(names).toEqual(
          [
            'MIME-Version',
            'To',
            'Subject',
            'In-Reply-To',
            'References',
            'Content-Type',
            'Content-Transfer-Encoding',
          ].filter(
            (name) =>
              !(name === 'References' && (Array.isArray(references) ? references.length === 0 : false)),
          ),
        )
      }),
    )
  })
})
