// Manifest bytes must be UTF-8: a Latin-1 byte decoded leniently becomes U+FFFD and a flag
// value changes without anyone noticing. The fast check is node:buffer's isUtf8; only a file
// that fails it is scanned again to name the first bad byte.
import { isUtf8 } from "node:buffer";

/** Length of the sequence a lead byte starts (0: not a lead byte), and the first continuation range. */
function sequence(lead: number): { length: number; low: number; high: number } {
  if (lead < 0x80) return { length: 1, low: 0, high: 0 };
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 2, low: 0x80, high: 0xbf };
  if (lead === 0xe0) return { length: 3, low: 0xa0, high: 0xbf };
  if (lead === 0xed) return { length: 3, low: 0x80, high: 0x9f }; // no UTF-16 surrogates
  if (lead >= 0xe1 && lead <= 0xef) return { length: 3, low: 0x80, high: 0xbf };
  if (lead === 0xf0) return { length: 4, low: 0x90, high: 0xbf };
  if (lead === 0xf4) return { length: 4, low: 0x80, high: 0x8f };
  if (lead >= 0xf1 && lead <= 0xf3) return { length: 4, low: 0x80, high: 0xbf };
  return { length: 0, low: 0, high: 0 };
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const { length, low, high } = sequence(bytes[i]!);
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const byte = bytes[i + k];
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (byte === undefined || byte < min || byte > max) return i;
    }
    i += length;
  }
  return -1;
}

export function decodeUtf8(bytes: Buffer): { text: string } | { offset: number; byte: number } {
  if (isUtf8(bytes)) return { text: bytes.toString("utf8") };
  const offset = firstInvalidUtf8(bytes);
  return { offset, byte: bytes[offset] ?? 0 };
}
