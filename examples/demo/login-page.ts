import { html, type SafeHtml } from './html.js'
import { layout } from './layout.js'

export function loginPage(error?: string): SafeHtml {
  const body = html`<section class="card narrow">
    <h1>Sign in</h1>
    <p class="muted">This is the example app's own login: any name will do. Your connections belong to it.</p>
    ${error ? html`<div class="banner banner-error" role="alert">${error}</div>` : null}
    <form method="post" action="/login" class="stack">
      <label for="name">Your name</label>
      <input id="name" name="name" autocomplete="username" required maxlength="40" autofocus placeholder="Ana">
      <button class="button primary" type="submit">Sign in</button>
    </form>
  </section>`
  return layout({ title: 'Sign in', body })
}
