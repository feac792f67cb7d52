// QR codes of partially signed transactions (and other text the wallet shares), with the `qr` package.
// One QR code holds at most QR_MAX_TEXT characters of this kind of text (byte mode, version 40, low error
// correction): a partially signed transaction larger than that is shared as text or a file instead.
import encodeQR from 'qr';
import { WalletError } from './errors.js';

/** Byte-mode capacity of the largest QR code (version 40) at the low error-correction level. */
export const QR_MAX_TEXT = 2953;

function checkFits(text: string): void {
  const size = new TextEncoder().encode(text).length;
  if (size > QR_MAX_TEXT)
    throw new WalletError(
      'too-large-for-qr',
      `this text is ${size} bytes, one QR code holds at most ${QR_MAX_TEXT}: share it as text or a file instead`,
    );
}

/** An SVG document showing `text` as a QR code; WalletError('too-large-for-qr') past QR_MAX_TEXT. */
export function qrcodeSvg(text: string): string {
  checkFits(text);
  return encodeQR(text, 'svg', { ecc: 'low' });
}

/** `text` as a QR code drawn with terminal characters; WalletError('too-large-for-qr') past QR_MAX_TEXT. */
export function qrcodeTerminal(text: string): string {
  checkFits(text);
  return encodeQR(text, 'term', { ecc: 'low' });
}
