/**
 * The file the router serves as `/ui.js` (lit bundled in): it defines the elements, whose default
 * `base-url` is where this file was served from, the router's mount. One script tag, one element.
 */
import { ConnectionsElement } from './base.js'
import { defineConnectionsElements } from './index.js'

ConnectionsElement.defaultBaseUrl = new URL('.', import.meta.url).href.replace(/\/$/, '')
defineConnectionsElements()

export * from './index.js'
