import { outlookSamples } from './outlook.samples.js'
import type { ToolSamples } from './sample.js'
import { teamsSamples } from './teams.samples.js'

/** Outlook's and Teams' tools, and general Graph (`microsoft`) with both. */
export const microsoftSamples: ToolSamples = {
  outlook: outlookSamples,
  teams: teamsSamples,
  microsoft: [...outlookSamples, ...teamsSamples],
}
