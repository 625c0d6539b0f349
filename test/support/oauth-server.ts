export * from '../../examples/demo/local-oauth-server.js'
