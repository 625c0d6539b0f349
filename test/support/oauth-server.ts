export * from '../../src/dev-server/oauth-server.js'
