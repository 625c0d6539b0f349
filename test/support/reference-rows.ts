import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { OAuth2Provider } from '../../src/providers/types.js'
import type { ReferenceRow } from '../providers/reference/row.js'

const folder = join(import.meta.dirname, '..', 'providers', 'reference')

/**
 * Every row of every rows file in test/providers/reference/ (all but row.ts), loaded as found: a new
 * file joins the reference table and the README check without an edit anywhere else.
 */
export async function loadReferenceRows(): Promise<Array<{ file: string; row: ReferenceRow }>> {
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.ts') && name !== 'row.ts')
    .sort()
  const loaded = await Promise.all(
    files.map(async (name) => {
      const module = (await import(pathToFileURL(join(folder, name)).href)) as { rows?: ReferenceRow[] }
      return (module.rows ?? []).map((row) => ({ file: name, row }))
    }),
  )
  return loaded.flat()
}

/** The latest date a row's sources were read on ('2026-12-07'), or null. */
export function checkedOn(row: ReferenceRow): string | null {
  const dates = Object.values(row.sources).flatMap(
    (source) => source.match(/\((\d{4}-\d{2}-\d{2})\)$/)?.[1] ?? [],
  )
  return dates.sort().at(-1) ?? null
}

/**
 * A preset's line in README's provider table, made from the preset itself and its reference row:
 * `| id | name | kind | factory | quirks | default scopes | checked | docs |`.
 */
export function providerTableLine(
  factory: string,
  provider: OAuth2Provider,
  row: ReferenceRow | undefined,
): string {
  const scopes = provider.scopes.length > 0 ? provider.scopes.map((s) => `\`${s}\``).join(' ') : 'none'
  return [
    '',
    `\`${provider.id}\``,
    provider.name,
    'oauth2',
    `\`providers.${factory}()\``,
    provider.quirks.join('; '),
    scopes,
    (row && checkedOn(row)) ?? 'not checked',
    `[docs](${provider.docsUrl})`,
    '',
  ]
    .join(' | ')
    .trim()
}
