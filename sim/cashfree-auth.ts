import { constants, privateDecrypt } from 'node:crypto';
import { DOCUMENTED_ERRORS, type CashfreeError } from './cashfree-errors.js';

export interface CashfreeCredentials {
  clientId: string;
  clientSecret: string;
  /** When set, every request must carry a valid x-cf-signature. */
  signaturePrivateKeyPem?: string;
}

const SIGNATURE_VALIDITY_SECONDS = 300;

/**
 * Checks x-client-id/x-client-secret and, with Public Key 2FA, x-cf-signature
 * (base64 RSA-OAEP/SHA-1 of `<clientId>.<unixSeconds>`). Returns the error to answer, if any;
 * a valid signature is handed to onValidSignature.
 */
export function checkCredentials(
  headers: Record<string, string | undefined>,
  credentials: CashfreeCredentials,
  onValidSignature: (signature: string) => void,
): CashfreeError | undefined {
  if (headers['x-client-id'] !== credentials.clientId || headers['x-client-secret'] !== credentials.clientSecret) {
    return DOCUMENTED_ERRORS.authentication_failed;
  }
  const key = credentials.signaturePrivateKeyPem;
  if (key === undefined) return undefined;
  const signature = headers['x-cf-signature'];
  if (!signature) return DOCUMENTED_ERRORS.signature_missing;
  if (!isFreshSignature(signature, key, credentials.clientId)) return DOCUMENTED_ERRORS.authentication_failed;
  onValidSignature(signature);
  return undefined;
}

function isFreshSignature(signature: string, key: string, clientId: string): boolean {
  let plain: string;
  try {
    plain = privateDecrypt(
      { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(signature, 'base64'),
    ).toString('utf8');
  } catch {
    return false;
  }
  const match = /^(.*)\.(\d+)$/.exec(plain);
  if (!match || match[1] !== clientId) return false;
  const ageSeconds = Math.abs(Math.floor(Date.now() / 1000) - Number(match[2]));
  return ageSeconds <= SIGNATURE_VALIDITY_SECONDS;
}
