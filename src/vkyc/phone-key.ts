import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';

/**
 * What KYC_PHONE_KEY protects: a keyed hash of each phone the bot started a Video KYC for (so `/kyc find` can
 * answer without the phone being stored), and the rows of a bulk start while they wait to be started. Two keys
 * are derived from the one secret (HKDF-SHA256, one label each), so a hash never doubles as an encryption key.
 */
export interface PhoneKeys {
  /** HMAC-SHA256 of a normalised phone (10 digits), hex. */
  hash(phone: string): string;
  /** AES-256-GCM of `text`, bound to `context` (which row of which batch): `iv.tag.ciphertext`, base64url. */
  seal(text: string, context: string, iv: Buffer): string;
  /** The text, or undefined when the box was sealed under another key or context, or was tampered with. */
  open(sealed: string, context: string): string | undefined;
}

const IV_BYTES = 12;

export function derivePhoneKeys(secret: string): PhoneKeys {
  const derive = (label: string) => Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), label, 32));
  const hashKey = derive('kyc-slack-bot phone hash v1');
  const sealKey = derive('kyc-slack-bot bulk rows v1');
  return {
    hash: (phone) => createHmac('sha256', hashKey).update(phone, 'utf8').digest('hex'),
    seal(text, context, iv) {
      if (iv.length !== IV_BYTES) throw new Error(`an AES-GCM nonce is ${IV_BYTES} bytes`);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
    },
    open(sealed, context) {
      const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
      if (iv === undefined || tag === undefined || body === undefined || iv.length !== IV_BYTES) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', sealKey, iv);
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

export const PHONE_SEAL_IV_BYTES = IV_BYTES;
