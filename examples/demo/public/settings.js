// The settings page's actions, each one call to the connections router's JSON API at /integrations.
// Everything shown comes from the server and is set as text, never as HTML.

const MOUNT = '/integrations'
const banner = document.getElementById('banner')

function showBanner(kind, text) {
  banner.className = `banner banner-${kind}`
  banner.textContent = text
  banner.hidden = false
  banner.scrollIntoView({ block: 'nearest' })
}

async function api(method, path, body) {
  const headers = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(MOUNT + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  let json = null
  try {
    json = text ? JSON.parse(text) : null
  } catch {
    json = null
  }
  if (!response.ok) {
    throw new Error(json?.error?.message ?? `The request failed (HTTP ${response.status}).`)
  }
  return json
}

const reload = (notice) => location.assign(`/settings?notice=${notice}`)

function element(tag, text, className) {
  const node = document.createElement(tag)
  if (text !== undefined) node.textContent = text
  if (className) node.className = className
  return node
}

/** The account as the provider's API describes it: a few well-known fields, then the whole answer. */
function showProfile(row, path, profile) {
  const box = row.querySelector('.api-result')
  box.replaceChildren(element('p', `GET ${path} through the proxy`, 'api-result-title'))
  const fields = [
    ['Name', profile?.name ?? profile?.displayName ?? profile?.login],
    ['Email', profile?.email ?? profile?.mail],
    ['Account', profile?.sub ?? profile?.id ?? profile?.user_id],
  ].filter(([, value]) => typeof value === 'string' || typeof value === 'number')
  if (fields.length > 0) {
    const list = element('dl', undefined, 'profile')
    for (const [name, value] of fields) list.append(element('dt', name), element('dd', String(value)))
    box.append(list)
  }
  const raw = element('details')
  raw.append(element('summary', 'Full response'), element('pre', JSON.stringify(profile, null, 2)))
  box.append(raw)
  box.hidden = false
}

const STATUS_TEXT = { active: 'Active', needs_reauth: 'Needs re-auth', not_connected: 'Not connected' }

function setBadge(badge, status) {
  badge.className = `badge badge-${status}`
  badge.dataset.status = status
  badge.textContent = STATUS_TEXT[status] ?? status
}

/** A connection's new status, and its provider's: the best of its connections, as the router ranks them. */
function setStatus(row, status) {
  setBadge(row.querySelector('.connection-title .badge'), status)
  const card = row.closest('[data-provider]')
  const statuses = [...card.querySelectorAll('.connection-title .badge')].map((b) => b.dataset.status)
  const best = ['active', 'needs_reauth'].find((s) => statuses.includes(s)) ?? 'not_connected'
  setBadge(card.querySelector('.provider-head .badge'), best)
}

const actions = {
  rename(row) {
    const form = row.querySelector('form.relabel')
    form.hidden = false
    form.elements.label.select()
  },
  'cancel-rename'(row) {
    row.querySelector('form.relabel').hidden = true
  },
  async 'call-api'(row, id, button) {
    const path = button.dataset.path
    try {
      showProfile(row, path, await api('GET', `/connections/${id}/proxy${path}`))
    } catch (error) {
      const box = row.querySelector('.api-result')
      const reconnect = element('button', 'Reconnect', 'button primary')
      reconnect.type = 'button'
      reconnect.dataset.action = 'reauth'
      box.replaceChildren(
        element('p', `GET ${path} through the proxy failed`, 'api-result-title'),
        element('p', error.message, 'api-error'),
        reconnect,
      )
      box.hidden = false
      // A refused refresh turns the connection to needs_reauth: show it without a reload.
      const { data } = await api('GET', `/connections/${id}`)
      setStatus(row, data.status)
    }
  },
  async reauth(_row, id) {
    const { data } = await api('POST', `/connections/${id}/reauth`, {
      returnUrl: '/settings?notice=reconnected',
    })
    location.assign(data.authorizationUrl)
  },
  async revoke(row, id) {
    const label = row.querySelector('.connection-label').textContent
    if (!confirm(`Revoke "${label}"? Its tokens are deleted and revoked at the provider.`)) return
    await api('POST', `/connections/${id}/revoke`)
    reload('revoked')
  },
}

document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-action]')
  const row = button?.closest('[data-connection-id]')
  const name = button?.dataset.action
  if (!row || !Object.hasOwn(actions, name)) return
  const action = actions[name]
  button.disabled = true
  try {
    await action(row, row.dataset.connectionId, button)
  } catch (error) {
    showBanner('error', error.message)
  } finally {
    button.disabled = false
  }
})

document.addEventListener('submit', async (event) => {
  const form = event.target.closest('form.relabel')
  if (!form) return
  event.preventDefault()
  const id = form.closest('[data-connection-id]').dataset.connectionId
  try {
    await api('PUT', `/connections/${id}/label`, { label: form.elements.label.value })
    reload('relabeled')
  } catch (error) {
    showBanner('error', error.message)
  }
})
