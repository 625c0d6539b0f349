import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { allowlisted, isValidPathPattern, matchesHttp } from '../../../src/policy/allowlist.js'
import { pathSegments } from '../../../src/policy/path.js'

describe('allowlist globs', () => {
  it.each([
    ['/repos/acme/*', '/repos/acme/api', true],
    ['/repos/acme/*', '/repos/acme/api/issues', false],
    ['/repos/acme/*', '/repos/acme', false],
    ['/repos/acme/*', '/repos/acme/', false],
    ['/repos/acme/*', '/repos/acmecorp/api', false],
    ['/repos/acme/**', '/repos/acme', true],
    ['/repos/acme/**', '/repos/acme/api/issues/1/comments', true],
    ['/repos/acme/**', '/repos/acmecorp/api', false],
    ['/repos/*/issues', '/repos/acme/issues', true],
    ['/repos/**/issues', '/repos/acme/api/issues', true],
    ['/repos/**/issues', '/repos/issues', true],
    ['/chat.*', '/chat.postMessage', true],
    ['/chat.*', '/chat', false],
    ['/conversations.*', '/chat.postMessage', false],
    ['/a*b*c', '/aXbYc', true],
    ['/a*b*c', '/aXbY', false],
    ['/Repos/acme', '/repos/acme', false],
    ['/repos/my repo', '/repos/my%20repo', true],
    ['/**', '/anything/at/all', true],
  ])('%s against %s: %s', (pattern, path, expected) => {
    expect(matchesHttp({ method: 'GET', path: pattern }, 'GET', path)).toBe(expected)
  })

  it.each([
    '/repos/acme/%2e%2e/evil',
    '/repos/acme/%2E%2E/evil',
    '/repos/acme/../evil',
    '/repos/acme/./api',
    '/repos/acme/..;/evil',
    '/repos/acme/%2fevil',
    '/repos/acme/a%5cb',
    '/repos/acme/%252e%252e/evil',
    '/repos/acme//api',
    '/repos/acme/%zz',
    '/repos/acme/a%00',
    '/repos/acme/api?x=1',
    'repos/acme/api',
  ])('no glob matches %s, which could be read two ways', (path) => {
    expect(pathSegments(path)).toBeNull()
    expect(matchesHttp({ method: '*', path: '/repos/acme/**' }, 'GET', path)).toBe(false)
    expect(matchesHttp({ method: '*', path: '/**' }, 'GET', path)).toBe(false)
  })

  it('matches methods case-insensitively, and * matches any', () => {
    expect(matchesHttp({ method: 'get', path: '/x' }, 'GET', '/x')).toBe(true)
    expect(matchesHttp({ method: 'GET', path: '/x' }, 'POST', '/x')).toBe(false)
    expect(matchesHttp({ method: '*', path: '/x' }, 'DELETE', '/x')).toBe(true)
  })

  it('lets HTTP entries match calls and tool entries match tools, never the other way round', () => {
    const entries = [{ method: 'GET', path: '/repos/acme/*' }, { tool: 'create_issue' }]
    expect(allowlisted(entries, { tool: 'create_issue' })).toBe(true)
    expect(allowlisted(entries, { tool: 'delete_repo' })).toBe(false)
    expect(allowlisted([{ method: '*', path: '/**' }], { tool: 'create_issue' })).toBe(false)
    expect(allowlisted([{ tool: 'create_issue' }], { method: 'GET', path: '/create_issue' })).toBe(false)
    expect(allowlisted([], { tool: 'anything' })).toBe(true)
  })

  it('accepts readable patterns only, with ** as a whole segment at most twice', () => {
    expect(isValidPathPattern('/repos/acme/**')).toBe(true)
    expect(isValidPathPattern('/**/x/**')).toBe(true)
    expect(isValidPathPattern('/**/x/**/y/**')).toBe(false)
    expect(isValidPathPattern('/repos/a**')).toBe(false)
    expect(isValidPathPattern('/repos/../x')).toBe(false)
    expect(isValidPathPattern('repos')).toBe(false)
  })
})

const segment = fc.stringMatching(/^[a-z0-9_.-]{1,8}$/).filter((s) => s !== '.' && s !== '..')
const segments = fc.array(segment, { minLength: 0, maxLength: 6 })
const encode = (parts: string[]) => `/${parts.map((p) => encodeURIComponent(p)).join('/')}`

describe('allowlist globs, as properties', () => {
  it('a prefix/** entry allows every path under the prefix and nothing outside it', () => {
    fc.assert(
      fc.property(segments, segments, segments, (prefix, inside, other) => {
        const entry = { method: '*', path: `${encode(prefix)}/**`.replace(/^\/\/\*\*$/, '/**') }
        expect(matchesHttp(entry, 'GET', encode([...prefix, ...inside]))).toBe(true)
        const outside = prefix.length > 0 && !other.slice(0, prefix.length).every((s, i) => s === prefix[i])
        if (outside || other.length < prefix.length)
          expect(matchesHttp(entry, 'GET', encode(other))).toBe(false)
      }),
    )
  })

  it('a * segment matches exactly one segment', () => {
    fc.assert(
      fc.property(segments, segments, (before, after) => {
        const entry = { method: 'GET', path: encode([...before, '*', ...after]) }
        expect(matchesHttp(entry, 'GET', encode([...before, 'x', ...after]))).toBe(true)
        expect(matchesHttp(entry, 'GET', encode([...before, ...after]))).toBe(false)
        expect(matchesHttp(entry, 'GET', encode([...before, 'x', 'y', ...after]))).toBe(false)
      }),
    )
  })

  it('no path with an encoded dot segment or slash matches, however it is spelt', () => {
    const dot = fc.constantFrom('..', '%2e%2e', '%2E.', '.%2e', '..;', '%2e', '.')
    fc.assert(
      fc.property(segments, dot, segments, (before, dots, after) => {
        const path = `${encode(['repos', 'acme', ...before])}/${dots}/${after.join('/')}`
        expect(matchesHttp({ method: '*', path: '/**' }, 'GET', path)).toBe(false)
      }),
    )
  })
})
