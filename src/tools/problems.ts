/** One thing wrong with a tool's input: an RFC 6901 JSON pointer into the input (`''` for all of it) and why. */
export interface InputProblem {
  pointer: string
  message: string
}

/**
 * Input a tool cannot be called with, found while building the request (a path value that would
 * change the path, a header line in a Gmail subject). The runner answers it as 422 `invalid_input`,
 * like a schema failure.
 *
 * @example
 * throw new ToolInputError([{ pointer: '/repo', message: 'must not be "." or ".."' }])
 */
export class ToolInputError extends Error {
  readonly code = 'invalid_input'
  constructor(readonly problems: InputProblem[]) {
    super(problems.map(({ pointer, message }) => `${pointer || '/'}: ${message}`).join('; '))
    this.name = 'ToolInputError'
  }
}

/** `name` as one RFC 6901 reference token: `~` → `~0`, `/` → `~1`. */
export function pointerToken(name: string | number): string {
  return String(name).replaceAll('~', '~0').replaceAll('/', '~1')
}

/** The JSON pointer of a dotted input path (`event.start` → `/event/start`). */
export function pointerOfPath(path: string): string {
  return path
    .split('.')
    .map((segment) => `/${pointerToken(segment)}`)
    .join('')
}

/** Keys that would reach an object's prototype if assigned, refused wherever input names a key. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])
