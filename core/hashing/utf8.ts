// UTF-8 encoding into a caller's buffer. Bucketing hashes UTF-8 bytes (never UTF-16 code
// units, the classic cross-SDK hazard), and it runs on every evaluation, so this writes
// straight into a reused buffer: no TextEncoder result objects, no per-call allocation.
// The output is byte-identical to `new TextEncoder().encode(text)`, including the WHATWG
// rule that a lone surrogate becomes U+FFFD (EF BF BD); a property test proves it.

/** Worst case bytes for `text`: 3 per UTF-16 code unit (a surrogate pair is 4 bytes for 2 units). */
export function maxUtf8Length(text: string): number {
  return text.length * 3;
}

/** Writes the UTF-8 bytes of `text` at `at`; returns the offset after the last byte written. */
export function writeUtf8(text: string, out: Uint8Array, at: number): number {
  const length = text.length;
  for (let i = 0; i < length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      out[at++] = code;
      continue;
    }
    if (code < 0x800) {
      out[at++] = 0xc0 | (code >> 6);
      out[at++] = 0x80 | (code & 0x3f);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < length ? text.charCodeAt(i + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const point = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        out[at++] = 0xf0 | (point >> 18);
        out[at++] = 0x80 | ((point >> 12) & 0x3f);
        out[at++] = 0x80 | ((point >> 6) & 0x3f);
        out[at++] = 0x80 | (point & 0x3f);
        i++;
        continue;
      }
      code = 0xfffd;
    }
    out[at++] = 0xe0 | (code >> 12);
    out[at++] = 0x80 | ((code >> 6) & 0x3f);
    out[at++] = 0x80 | (code & 0x3f);
  }
  return at;
}
