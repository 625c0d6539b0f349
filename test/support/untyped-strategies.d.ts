// passport strategies that ship no types, as far as the tests use them: passport-oauth2 strategies
// whose options add a few fields of their own (gitlab2's baseURL, slack's profileURL, discord's none).
declare module 'passport-gitlab2' {
  import { Strategy as OAuth2Strategy } from 'passport-oauth2'
  export class Strategy extends OAuth2Strategy {
    constructor(options: Record<string, unknown>, verify: (...args: never[]) => void)
  }
}

declare module 'passport-slack-oauth2' {
  import { Strategy as OAuth2Strategy } from 'passport-oauth2'
  export class Strategy extends OAuth2Strategy {
    constructor(options: Record<string, unknown>, verify: (...args: never[]) => void)
  }
}

declare module 'passport-discord' {
  import { Strategy as OAuth2Strategy } from 'passport-oauth2'
  export class Strategy extends OAuth2Strategy {
    constructor(options: Record<string, unknown>, verify: (...args: never[]) => void)
  }
}
