/**
 * Summarizes the profiles of a `npm run bench -- --cpu-prof` run again, with more functions:
 *   node --import tsx bench/profile.ts bench/results/profiles-<run> [count]
 */
import { summarizeRun } from './lib/profile.js'

const [dir, count] = process.argv.slice(2)
if (!dir) {
  console.error('usage: node --import tsx bench/profile.ts bench/results/profiles-<run> [count]')
  process.exit(1)
}
const top = Number(count ?? 15)
if (!Number.isInteger(top) || top < 1) throw new Error(`count must be a positive integer, not ${count}`)
for (const summary of summarizeRun(dir, top)) console.log(`${summary}\n`)
