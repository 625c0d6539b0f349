import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { JsonValue } from '../../../src/providers/tool-definition.js'
import { rfc822Message } from '../../../src/tools/encoders.js'
import { ToolInputError } from '../../../src/tools/problems.js'

/** The message's header lines (unfolded) and its decoded body. */
function parse(raw: string): { headers: string[]; body: string } {
  const message = Buffer.from(raw, 'base64url').toString()
  const [head = '', encodedBody = ''] = message.split('\r\n\r\n')
  // A bare CR or LF ends a line for some mail software, so it counts as one here.
  return {
    headers: head.replaceAll(/(\r\n|\r|\n)[ \t]/g, ' ').split(/\r\n|\r|\n/),
    body: Buffer.from(encodedBody.replaceAll('\r\n', ''), 'base64').toString(),
  }
}

const decodeWords = (text: string) =>
  text.replaceAll(/=\?UTF-8\?B\?([^?]*)\?=\s*/g, (_, word: string) => Buffer.from(word, 'base64').toString())

describe('rfc822Message', () => {
  it('builds a plain text message Gmail can send', () => {
    const { raw } = rfc822Message({
      to: ['ada@example.com', 'Bob <bob@example.com>'],
      cc: 'carol@example.com',
      subject: 'Status',
      body: 'Line one\nLine two',
    })
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(parse(raw)).toEqual({
      headers: [
        'MIME-Version: 1.0',
        'To: ada@example.com, Bob <bob@example.com>',
        'Cc: carol@example.com',
        'Subject: Status',
        'Content-Type: text/plain; charset=UTF-8',
        'Content-Transfer-Encoding: base64',
      ],
      body: 'Line one\nLine two',
    })
  })

  it('encodes a non-ASCII subject and display name as RFC 2047 words of at most 75 characters', () => {
    const subject = `Grüße ${'日本語'.repeat(30)} 🎉`
    const { raw } = rfc822Message({ to: 'Jörg <j@example.com>', subject })
    const message = Buffer.from(raw, 'base64url').toString()
    for (const line of message.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998)
    for (const word of message.match(/=\?UTF-8\?B\?[^?]*\?=/g) ?? [])
      expect(word.length).toBeLessThanOrEqual(75)
    const { headers } = parse(raw)
    expect(decodeWords(headers.find((line) => line.startsWith('Subject: ')) ?? '')).toBe(
      `Subject: ${subject}`,
    )
    expect(decodeWords(headers.find((line) => line.startsWith('To: ')) ?? '')).toBe('To: Jörg<j@example.com>')
  })

  it.each<[Record<string, JsonValue>, string]>([
    [{ to: 'a@b.c', subject: 'Hi\r\nBcc: evil@x.y' }, '/subject'],
    [{ to: 'a@b.c\nBcc: evil@x.y' }, '/to'],
    [{ to: ['a@b.c', 'x@y.z\rX-Evil: 1'] }, '/to/1'],
    [{ to: 'a@b.c', bcc: ['ok@x.y', 'x\u2028y'] }, '/bcc/1'],
    [{ to: 'a@b.c', cc: 3 }, '/cc'],
    [{ to: 'a@b.c', subject: 4 }, '/subject'],
    [{ to: [] }, '/to'],
    [{ subject: 'no recipient' }, '/to'],
  ])('refuses %j at %s', (input, pointer) => {
    expect(() => rfc822Message(input)).toThrow(ToolInputError)
    try {
      rfc822Message(input)
    } catch (error) {
      expect((error as ToolInputError).problems).toMatchObject([{ pointer }])
    }
  })

  it('never lets input add a header line, and keeps the body intact', () => {
    const names = ['MIME-Version', 'To', 'Cc', 'Bcc', 'Subject', 'Content-Type', 'Content-Transfer-Encoding']
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('\r', '\n', '\r\n', '\r\n\r\n', ' ', ':', 'Bcc: evil@x.y', '\u0085', '\u2028', 'é'),
    )
    const field = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''))
    fc.assert(
      fc.property(
        fc.oneof(field, fc.array(field, { maxLength: 3 })),
        fc.option(field),
        fc.option(field),
        fc.string({ unit: 'binary', maxLength: 200 }),
        (to, cc, subject, body) => {
          const input: Record<string, JsonValue> = { to, body }
          if (cc !== null) input.cc = cc
          if (subject !== null) input.subject = subject
          let raw: string
          try {
            raw = rfc822Message(input).raw
          } catch (error) {
            expect(error).toBeInstanceOf(ToolInputError)
            return
          }
          const parsed = parse(raw)
          const seen = parsed.headers.map((line) => line.slice(0, line.indexOf(':')))
          expect(seen.every((name) => names.includes(name))).toBe(true)
          expect(new Set(seen).size).toBe(seen.length)
          expect(parsed.body).toBe(Buffer.from(body).toString())
        },
      ),
    )
  })
})
