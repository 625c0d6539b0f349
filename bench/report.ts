/**
 * Prints a run's results (bench/results/*.json) as the Markdown table of BENCHMARKS.md:
 *   node --import tsx bench/report.ts [bench/results/latest.json]
 */
import { readFileSync } from 'node:fs'
import { benchFile } from './lib/children.js'
import { type RunReport, toMarkdown } from './lib/report.js'

const file = process.argv[2] ?? benchFile('results/latest.json')
console.log(toMarkdown(JSON.parse(readFileSync(file, 'utf8')) as RunReport))
