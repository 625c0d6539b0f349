import { timingSafeEqual } from 'node:crypto'

/**
 * Whether two secrets (tokens, session ids, sealed blobs) are equal, in time that does not depend on
 * where they differ. Null or undefined equals only itself.
 */
export function sameSecret(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return a === b
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
