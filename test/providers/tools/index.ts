import { githubSamples } from './github.samples.js'
import { gmailSamples } from './gmail.samples.js'
import { googleCalendarSamples } from './google-calendar.samples.js'
import { googleDriveSamples } from './google-drive.samples.js'
import { linearSamples } from './linear.samples.js'
import { microsoftSamples } from './microsoft.samples.js'
import { notionSamples } from './notion.samples.js'
import type { ToolSamples } from './sample.js'
import { slackSamples } from './slack.samples.js'
import { telegramSamples } from './telegram.samples.js'

/** Every preset's tool samples, by preset id, read by the preset tool table tests. */
export const presetSamples: ToolSamples = {
  ...githubSamples,
  ...gmailSamples,
  ...googleCalendarSamples,
  ...googleDriveSamples,
  ...linearSamples,
  ...microsoftSamples,
  ...notionSamples,
  ...slackSamples,
  ...telegramSamples,
}
