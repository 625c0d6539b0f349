import { afterEach } from 'vitest'
import { closeOpenFakes } from './fake-provider.js'
import { closeOpenRuns } from './preset-flow.js'

// Provider tests start fakes and apps inside the test; whatever they leave open is closed here.
afterEach(async () => {
  await closeOpenRuns()
  await closeOpenFakes()
})
