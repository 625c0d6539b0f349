import { css } from 'lit'

/**
 * The look, as CSS custom properties a page may set on the element or any ancestor: `--ec-bg`,
 * `--ec-fg`, `--ec-muted`, `--ec-border`, `--ec-accent`, `--ec-accent-fg`, `--ec-danger`,
 * `--ec-ok`, `--ec-warn`, `--ec-radius`, `--ec-font`. Light by default, dark with
 * `prefers-color-scheme: dark` or `theme="dark"`; `theme="light"` keeps it light. Colours keep a
 * 4.5:1 contrast in both.
 */
export const themeStyles = css`
  :host {
    --_bg: var(--ec-bg, #ffffff);
    --_fg: var(--ec-fg, #1b1f24);
    --_muted: var(--ec-muted, #57606a);
    --_border: var(--ec-border, #d0d7de);
    --_surface: var(--ec-surface, #f6f8fa);
    --_accent: var(--ec-accent, #0a58ca);
    --_accent-fg: var(--ec-accent-fg, #ffffff);
    --_danger: var(--ec-danger, #b42318);
    --_ok: var(--ec-ok, #116329);
    --_warn: var(--ec-warn, #8a4b00);
    --_radius: var(--ec-radius, 8px);
    display: block;
    color: var(--_fg);
    background: var(--_bg);
    font: var(--ec-font, 14px/1.45 system-ui, sans-serif);
    color-scheme: light;
  }
  :host([hidden]) {
    display: none;
  }
  :host([theme='dark']) {
    --_bg: var(--ec-bg, #0d1117);
    --_fg: var(--ec-fg, #e6edf3);
    --_muted: var(--ec-muted, #9ba7b4);
    --_border: var(--ec-border, #3d444d);
    --_surface: var(--ec-surface, #161b22);
    --_accent: var(--ec-accent, #4493f8);
    --_accent-fg: var(--ec-accent-fg, #0d1117);
    --_danger: var(--ec-danger, #ff7b72);
    --_ok: var(--ec-ok, #3fb950);
    --_warn: var(--ec-warn, #d29922);
    color-scheme: dark;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      --_bg: var(--ec-bg, #0d1117);
      --_fg: var(--ec-fg, #e6edf3);
      --_muted: var(--ec-muted, #9ba7b4);
      --_border: var(--ec-border, #3d444d);
      --_surface: var(--ec-surface, #161b22);
      --_accent: var(--ec-accent, #4493f8);
      --_accent-fg: var(--ec-accent-fg, #0d1117);
      --_danger: var(--ec-danger, #ff7b72);
      --_ok: var(--ec-ok, #3fb950);
      --_warn: var(--ec-warn, #d29922);
      color-scheme: dark;
    }
  }
  h2,
  h3,
  h4 {
    margin: 0;
    font-size: 1em;
  }
  h2 {
    font-size: 1.25em;
    margin-bottom: 0.75em;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  p {
    margin: 0.25em 0;
  }
  .muted {
    color: var(--_muted);
  }
  .card {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.75em 1em;
    margin-bottom: 0.75em;
    background: var(--_bg);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    align-items: center;
  }
  .grow {
    flex: 1 1 auto;
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: calc(var(--_radius) - 2px);
    border: 1px solid var(--_border);
    background: var(--_surface);
    color: var(--_fg);
    padding: 0.3em 0.8em;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-fg);
  }
  button.danger {
    color: var(--_danger);
    border-color: var(--_danger);
    background: var(--_bg);
  }
  button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  input,
  select,
  textarea {
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 2px);
    padding: 0.25em 0.5em;
  }
  textarea {
    width: 100%;
    box-sizing: border-box;
    font-family: ui-monospace, monospace;
  }
  label {
    display: block;
  }
  .badge {
    display: inline-block;
    border-radius: 999px;
    padding: 0 0.6em;
    font-size: 0.85em;
    border: 1px solid currentColor;
  }
  .badge[data-status='active'] {
    color: var(--_ok);
  }
  .badge[data-status='needs_reauth'] {
    color: var(--_warn);
  }
  .badge[data-status='not_connected'],
  .badge[data-status='revoked'] {
    color: var(--_muted);
  }
  .notice {
    padding: 0.5em 0.75em;
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
    background: var(--_surface);
    margin-bottom: 0.75em;
  }
  .error {
    color: var(--_danger);
    border-color: var(--_danger);
  }
  .connection {
    border-top: 1px solid var(--_border);
    padding-top: 0.5em;
    margin-top: 0.5em;
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 2px);
    margin: 0.5em 0;
  }
  .field,
  form > label {
    margin: 0.5em 0 0.25em;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`
