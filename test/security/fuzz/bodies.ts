/**
 * Request bodies: for each route, its JSON object (valid, valid with one field broken, or chaos), and
 * around it JSON of the wrong shape, text that is no JSON, bodies at the 16 KiB limit, deeply nested
 * values, forms and multipart, each with a content type that is usually, not always, JSON's.
 */
import fc from 'fast-check'
import type { Targets } from './targets.js'
import {
  anyJson,
  badMetadata,
  badScopes,
  credentialExtras,
  deepJson,
  endpointUrls,
  field,
  goodLabels,
  goodMetadata,
  goodScopes,
  json,
  jsonField,
  objectOf,
  providerIds,
  returnUrls,
  secretValues,
  sentSecret,
  texts,
} from './values.js'

export type BodyShape = 'label' | 'start' | 'reauth' | 'credentials' | 'custom' | 'none'

function shapedJson(t: Targets, shape: BodyShape): fc.Arbitrary<string> {
  const providers = providerIds(t)
  const urls = returnUrls(t)
  switch (shape) {
    case 'label':
      return objectOf([jsonField('label', goodLabels, texts)])
    case 'start':
      return objectOf([
        jsonField('provider', providers.good, providers.bad),
        jsonField('scopes', goodScopes, badScopes, 30),
        jsonField('label', goodLabels, texts, 30),
        jsonField('returnUrl', urls.good, urls.bad, 40),
        field('metadata', goodMetadata.map(json), badMetadata, 30),
      ])
    case 'reauth':
      return objectOf([
        jsonField('scopes', goodScopes, badScopes, 30),
        jsonField('returnUrl', urls.good, urls.bad, 40),
      ])
    case 'credentials':
      return objectOf([
        jsonField('provider', fc.constant('vendor'), providers.any),
        field(
          'credentials',
          objectOf([field('apiKey', secretValues.good, secretValues.bad)], credentialExtras),
          fc.oneof(
            objectOf([field('botToken', secretValues.bad, secretValues.bad)], credentialExtras),
            fc.constantFrom('"key"', '[]', '{}', 'null', '{"apiKey":7}'),
          ),
        ),
        jsonField('label', goodLabels, texts, 30),
      ])
    case 'custom':
      return objectOf([
        jsonField('slug', fc.constantFrom(t.customSlug, 'acme-sso', 'zz-9'), providers.bad),
        jsonField('name', fc.constantFrom('Acme SSO', 'ünï 😀'), texts),
        jsonField('authorizationUrl', endpointUrls.good, endpointUrls.bad),
        jsonField('tokenUrl', endpointUrls.good, endpointUrls.bad),
        jsonField('userInfoUrl', endpointUrls.good, endpointUrls.bad, 30),
        jsonField('revocationUrl', endpointUrls.good, endpointUrls.bad, 20),
        jsonField('apiBaseUrl', endpointUrls.good, endpointUrls.bad, 20),
        jsonField('scopes', goodScopes, badScopes, 30),
        jsonField(
          'tokenAuth',
          fc.constantFrom('client_secret_post', 'client_secret_basic'),
          fc.constant('none'),
          30,
        ),
        jsonField(
          'clientId',
          fc.constantFrom('client-1', 'c'.repeat(512)),
          fc.oneof(texts, fc.constant('c'.repeat(513))),
        ),
        field('clientSecret', sentSecret.map(json), secretValues.bad),
      ])
    case 'none':
      return anyJson
  }
}

const BODY_LIMIT = 16 * 1024

/** Text that is not JSON, or not JSON the strict parser takes. */
const notJson = fc.oneof(
  fc.constantFrom(
    '{"provider": "local"',
    "{'provider':'local'}",
    '{"a":1}}',
    '{"a":1,}',
    'NaN',
    '"just a string"',
    '42',
    'null',
    'true',
    '\ufeff{"provider":"local"}',
    '\u0000',
    '{"a":"\\ud800"}',
    '{"a":"\\x41"}',
    '',
    '  ',
    'provider=local&label=x',
    '<?xml version="1.0"?><a/>',
  ),
  texts,
)

export const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json;charset=UTF-8',
  'application/json; charset=latin1',
  'application/json; charset=iso-8859-1',
  'application/json; charset=utf-16',
  'application/json; charset=utf-16le',
  'application/json; charset=utf-7',
  'application/json; charset=utf-99',
  'application/json; charset=',
  'application/json; charset="utf-8',
  'application/json; boundary=x',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'text/json',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'application/octet-stream',
  'application/xml',
  '*/*',
  '',
  ';;;',
  'application',
  'application/',
  'json',
)

export interface GeneratedBody {
  text: string
  type: string | undefined
}

export function bodies(t: Targets, shape: BodyShape): fc.Arbitrary<GeneratedBody> {
  const jsonType = fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 12 },
    { arbitrary: contentTypes, weight: 2 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  )
  const anyType = fc.oneof(contentTypes, fc.constant(undefined))
  const withType = (text: fc.Arbitrary<string>, type: fc.Arbitrary<string | undefined>) =>
    fc.tuple(text, type).map(([body, contentType]): GeneratedBody => ({ text: body, type: contentType }))
  return fc.oneof(
    { arbitrary: withType(shapedJson(t, shape), jsonType), weight: 14 },
    { arbitrary: withType(shapedJson(t, 'none'), jsonType), weight: 2 },
    { arbitrary: withType(notJson, anyType), weight: 2 },
    {
      // Around the body limit: just under, at and just over 16 KiB.
      arbitrary: withType(
        fc
          .tuple(
            fc.integer({ min: BODY_LIMIT - 60, max: BODY_LIMIT + 60 }),
            fc.constantFrom('label', 'provider'),
          )
          .map(([size, key]) => `{"${key}":"${'x'.repeat(Math.max(0, size - key.length - 7))}"}`),
        jsonType,
      ),
      weight: 1,
    },
    { arbitrary: withType(deepJson(8000), jsonType), weight: 1 },
    {
      arbitrary: withType(
        fc.constant('--xyz\r\nContent-Disposition: form-data; name="provider"\r\n\r\nlocal\r\n--xyz--\r\n'),
        fc.constant('multipart/form-data; boundary=xyz'),
      ),
      weight: 1,
    },
    {
      arbitrary: withType(
        fc.constant('provider=local&label=hi'),
        fc.constant('application/x-www-form-urlencoded'),
      ),
      weight: 1,
    },
  )
}
