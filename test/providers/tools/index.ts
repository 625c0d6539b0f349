import { githubSamples } from './github.samples.js'
import { linearSamples } from './linear.samples.js'
import { notionSamples } from './notion.samples.js'
import type { ToolSamples } from './sample.js'
import { slackSamples } from './slack.samples.js'
import { telegramSamples } from './telegram.samples.js'

/** Every preset's tool samples, by preset id. */
export const presetSamples: ToolSamples = {
  ...githubSamples,
  ...linearSamples,
  ...notionSamples,
  ...slackSamples,
  ...telegramSamples,
}
