import { constants, createPrivateKey, KeyObject, randomUUID, sign } from 'node:crypto'
import type { ClientAssertionSigner } from '../providers/types.js'

export type ClientAssertionAlgorithm = ClientAssertionSigner['algorithm']

/** What `providers.oauth2({ clientAssertionKey })` takes. */
export interface ClientAssertionKey {
  /** The client's private key: a `KeyObject`, or PEM (PKCS#8, PKCS#1 or SEC1). */
  privateKey: KeyObject | string
  /** Sent as the JWT's `kid`, for a provider that holds several keys of the client. */
  keyId?: string
  /** Default: `RS256` for an RSA key, `ES256` for a P-256 key. */
  algorithm?: ClientAssertionAlgorithm
}

/** RFC 7523 §2.2. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

// Short-lived and used once: an assertion that leaks from a log cannot be replayed for long.
const LIFETIME_SECONDS = 60
const MIN_RSA_BITS = 2048 // RFC 7518 §3.3

/**
 * A signer for `private_key_jwt` (RFC 7523 §2.2, OpenID Connect Core §9), with `node:crypto` only.
 * Throws a TypeError (naming no key material) for a key that cannot be read or does not fit the
 * algorithm.
 */
export function createClientAssertionSigner(options: ClientAssertionKey): ClientAssertionSigner {
  const key = privateKeyOf(options.privateKey)
  const algorithm = options.algorithm ?? defaultAlgorithm(key)
  checkFits(key, algorithm)
  const keyId = options.keyId ?? null
  const header = encode({ alg: algorithm, typ: 'JWT', ...(keyId === null ? {} : { kid: keyId }) })
  return {
    algorithm,
    keyId,
    sign(clientId, audience) {
      const now = Math.floor(Date.now() / 1000)
      const claims = {
        iss: clientId,
        sub: clientId,
        aud: audience,
        jti: randomUUID(),
        iat: now,
        exp: now + LIFETIME_SECONDS,
      }
      const input = `${header}.${encode(claims)}`
      return `${input}.${signature(key, algorithm, input)}`
    },
  }
}

function privateKeyOf(value: KeyObject | string): KeyObject {
  if (value instanceof KeyObject) {
    if (value.type !== 'private') throw new TypeError('privateKey must be a private key')
    return value
  }
  try {
    return createPrivateKey(value)
  } catch {
    // Not the crypto error: some name the part of the input they could not parse.
    throw new TypeError('privateKey is not a readable private key (PEM)')
  }
}

function defaultAlgorithm(key: KeyObject): ClientAssertionAlgorithm {
  return key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256'
}

function checkFits(key: KeyObject, algorithm: ClientAssertionAlgorithm): void {
  const type = key.asymmetricKeyType
  const details = key.asymmetricKeyDetails
  if (algorithm === 'ES256') {
    if (type !== 'ec' || details?.namedCurve !== 'prime256v1') {
      throw new TypeError('privateKey must be an EC P-256 key for ES256')
    }
    return
  }
  if (type !== 'rsa') throw new TypeError(`privateKey must be an RSA key for ${algorithm}`)
  if ((details?.modulusLength ?? 0) < MIN_RSA_BITS) {
    throw new TypeError(`privateKey must be an RSA key of at least ${MIN_RSA_BITS} bits`)
  }
}

function signature(key: KeyObject, algorithm: ClientAssertionAlgorithm, input: string): string {
  const data = Buffer.from(input)
  if (algorithm === 'ES256') {
    // JWS wants r || s (RFC 7518 §3.4), not the DER that node:crypto produces by default.
    return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')
  }
  if (algorithm === 'PS256') {
    // RFC 7518 §3.5: MGF1 with SHA-256, salt as long as the hash.
    const options = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
    return sign('sha256', data, options).toString('base64url')
  }
  return sign('sha256', data, key).toString('base64url')
}

function encode(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}
