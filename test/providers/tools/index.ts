import { gmailSamples } from './gmail.samples.js'
import { googleCalendarSamples } from './google-calendar.samples.js'
import { googleDriveSamples } from './google-drive.samples.js'
import { microsoftSamples } from './microsoft.samples.js'
import type { ToolSamples } from './sample.js'

/** Every preset's tool samples, read by the preset tool table test. */
export const presetSamples: ToolSamples = {
  ...googleCalendarSamples,
  ...gmailSamples,
  ...googleDriveSamples,
  ...microsoftSamples,
}
