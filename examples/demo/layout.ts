import { html, type SafeHtml } from './html.js'
import type { DemoUser } from './login.js'

export interface LayoutOptions {
  title: string
  body: SafeHtml
  user?: DemoUser | undefined
  /** A module script to load (the router's elements), with its integrity. */
  script?: { src: string; integrity: string } | undefined
}

/** The host app's page shell: top bar with who is signed in, the content, a footer. */
export function layout({ title, body, user, script }: LayoutOptions): SafeHtml {
  const account = user
    ? html`<div class="account">
        <span class="who">Signed in as <strong>${user.name}</strong></span>
        <form method="post" action="/logout"><button class="button ghost" type="submit">Sign out</button></form>
      </div>`
    : null
  return html`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} · Example app</title>
  <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/assets/demo.css">
  ${script ? html`<script type="module" src="${script.src}" integrity="${script.integrity}"></script>` : null}
</head>
<body>
  <header class="topbar">
    <div class="wrap topbar-inner">
      <a class="brand" href="/settings"><span class="logo" aria-hidden="true"></span>Example app</a>
      ${account}
    </div>
  </header>
  <main class="wrap">${body}</main>
  <footer class="wrap footer">
    A demo of <code>express-connections</code>. Everything runs on this machine; tokens stay encrypted
    on the server and never reach the browser.
  </footer>
</body>
</html>`
}
