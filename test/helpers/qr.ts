import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** Decodes a QR code PNG the way a phone's scanner would see it; undefined when nothing is found. */
export function decodeQr(png: Buffer): { text: string; width: number; height: number } | undefined {
  const image = PNG.sync.read(png);
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  const hit = jsQR.default(pixels, image.width, image.height);
  return hit === null ? undefined : { text: hit.data, width: image.width, height: image.height };
}
