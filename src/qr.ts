import QRCode from 'qrcode';

/** Width in pixels: large enough for a phone camera to read from a screen. */
export const QR_WIDTH = 400;

/** A PNG QR code of `text`, error correction M, with a quiet zone a scanner needs. */
export function renderQr(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 4, width: QR_WIDTH });
}
