import { constants, publicEncrypt, type KeyObject } from 'node:crypto';

/**
 * Cashfree's public-key 2FA header: RSA-OAEP (SHA-1) of "<clientId>.<unix seconds>", base64.
 * It is valid for a few minutes only, so it is made afresh for every request.
 */
export function cashfreeSignature(clientId: string, publicKey: KeyObject, nowMs: number): string {
  const payload = `${clientId}.${Math.floor(nowMs / 1000)}`;
  return publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(payload, 'utf8'),
  ).toString('base64');
}
