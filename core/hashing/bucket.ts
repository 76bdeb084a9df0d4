// Vexil's bucketing: the one algorithm every evaluator and SDK reproduces bit for bit.
// test/vectors/bucketing.json restates it with vectors; change neither without the other.
//
//   hash   = MurmurHash3 x86 32-bit, seed 0, of the UTF-8 bytes of  salt + ":" + value
//   bucket = hash (unsigned) mod 100000                      → an integer in [0, 100000)
//
// Rollout: a user is inside a p% rollout iff bucket < p × 1000 (double arithmetic), so raising
// p only ever adds users. Salt: the rollout's salt (the flag key unless the spec sets one).
//
// Split over weighted variants w_0 … w_{n-1} (salt: the flag's splitSalt, `<flagKey>/split`,
// distinct from the rollout salt so inclusion and choice are independent):
//   total = w_0 + … + w_{n-1}, cum_i = w_0 + … + w_i (summed left to right, doubles)
//   threshold_i = floor(cum_i × 100000 / total) (multiply first, then divide), and
//   threshold_{n-1} = 100000 whatever rounding says
//   variant i owns buckets [threshold_{i-1}, threshold_i) with threshold_{-1} = 0; the served
//   variant is the first i with bucket < threshold_i. A zero-weight variant owns no bucket.
//   A split whose total weight is not positive is invalid (evaluation reports PARSE_ERROR).
import { finish, finishWord, mixBlocks, mixWord, murmur3x86, tailWordOf } from "./murmur3.ts";
import { maxUtf8Length, writeUtf8 } from "./utf8.ts";

export const BUCKET_SPACE = 100_000;
/** Buckets per percentage point: a p% rollout covers buckets [0, p × 1000). */
export const BUCKETS_PER_PERCENT = BUCKET_SPACE / 100;
const COLON = 0x3a;

// One buffer reused by every call (evaluation is synchronous, so there is no sharing hazard).
let buffer = new Uint8Array(1024);

function ensureCapacity(bytes: number): Uint8Array {
  if (buffer.length < bytes) buffer = new Uint8Array(Math.max(bytes, buffer.length * 2));
  return buffer;
}

/** MurmurHash3 x86 32-bit (unsigned) of the UTF-8 bytes of `text`. */
export function murmur3(text: string, seed = 0): number {
  const out = ensureCapacity(maxUtf8Length(text));
  const length = writeUtf8(text, out, 0);
  return murmur3x86(out, seed, length);
}

/** The bucket in [0, 100000) of `value` under `salt`: murmur3(salt + ":" + value) mod 100000. */
export function bucket(salt: string, value: string): number {
  const out = ensureCapacity(maxUtf8Length(salt) + 1 + maxUtf8Length(value));
  let length = writeUtf8(salt, out, 0);
  out[length++] = COLON;
  length = writeUtf8(value, out, length);
  return murmur3x86(out, 0, length) % BUCKET_SPACE;
}

/**
 * A salt hashed ahead of time: the murmur3 state after the whole 4-byte blocks of
 * salt + ":" and the 0–3 bytes left over. Evaluation prepares one per rollout and split, so
 * each user costs only the hashing of their own value.
 */
export interface SaltState {
  readonly state: number;
  /** the bytes left over, little-endian packed (the start of the next block) */
  readonly carry: number;
  readonly carryLength: number;
  /** UTF-8 length of salt + ":" */
  readonly length: number;
}

export function saltState(salt: string): SaltState {
  const bytes = new TextEncoder().encode(`${salt}:`);
  const blockEnd = bytes.length & ~3;
  const carryLength = bytes.length - blockEnd;
  return {
    state: mixBlocks(0, bytes, 0, blockEnd),
    carry: tailWordOf(bytes, blockEnd, carryLength),
    carryLength,
    length: bytes.length,
  };
}

/** Same as {@link bucket}(salt, value) for the salt `salted` was made from. */
export function saltedBucket(salted: SaltState, value: string): number {
  const ascii = asciiSaltedBucket(salted, value);
  return ascii >= 0 ? ascii : utf8SaltedBucket(salted, value);
}

/**
 * The common case, user ids in ASCII, whose UTF-8 bytes are their char codes: hashed straight
 * from the string four chars to a block, without encoding into a buffer. −1 when any char is
 * not ASCII (one check at the end keeps the loop branch-free; the caller then takes the UTF-8
 * path from the start, and the wasted pass costs only values that are not ASCII).
 */
function asciiSaltedBucket(salted: SaltState, value: string): number {
  const length = value.length;
  const totalLength = salted.length + length;
  let h = salted.state;
  let i = 0;
  let seen = 0; // every char code OR-ed together: ASCII iff < 0x80
  if (salted.carryLength !== 0) {
    // complete the block the salt's last bytes started
    let word = salted.carry;
    let filled = salted.carryLength;
    for (; filled < 4 && i < length; i++, filled++) {
      const c = value.charCodeAt(i);
      seen |= c;
      word |= c << (filled << 3);
    }
    if (filled < 4) return seen < 0x80 ? finishWord(h, word, filled, totalLength) % BUCKET_SPACE : -1;
    h = mixWord(h, word);
  }
  const blockEnd = length - ((length - i) & 3);
  for (; i < blockEnd; i += 4) {
    const a = value.charCodeAt(i);
    const b = value.charCodeAt(i + 1);
    const c = value.charCodeAt(i + 2);
    const d = value.charCodeAt(i + 3);
    seen |= a | b | c | d;
    h = mixWord(h, a | (b << 8) | (c << 16) | (d << 24));
  }
  let tail = 0;
  for (let j = length - 1; j >= i; j--) {
    const c = value.charCodeAt(j);
    seen |= c;
    tail = (tail << 8) | c;
  }
  return seen < 0x80 ? finishWord(h, tail, length - i, totalLength) % BUCKET_SPACE : -1;
}

/** Any value: its UTF-8 bytes, after the salt's carried bytes, in the reused buffer. */
function utf8SaltedBucket(salted: SaltState, value: string): number {
  const out = ensureCapacity(salted.carryLength + maxUtf8Length(value));
  let filled = 0;
  for (; filled < salted.carryLength; filled++) out[filled] = (salted.carry >>> (filled << 3)) & 0xff;
  filled = writeUtf8(value, out, filled);
  const blockEnd = filled & ~3;
  const state = mixBlocks(salted.state, out, 0, blockEnd);
  const totalLength = salted.length - salted.carryLength + filled;
  return finish(state, out, blockEnd, filled & 3, totalLength) % BUCKET_SPACE;
}

/** Whether a bucket falls inside a rollout of `percentage` (0–100). */
export function isInsideRollout(bucketNumber: number, percentage: number): boolean {
  return bucketNumber < percentage * BUCKETS_PER_PERCENT;
}

/**
 * Upper bucket bounds of each variant of a weighted split (see the header for the definition);
 * undefined when the weights cannot form a split (no positive total, or a weight that is
 * negative or not finite).
 */
export function splitThresholds(weights: readonly number[]): number[] | undefined {
  let total = 0;
  for (const weight of weights) {
    if (typeof weight !== "number" || !Number.isFinite(weight) || weight < 0) return undefined;
    total += weight;
  }
  if (!(total > 0) || !Number.isFinite(total)) return undefined;
  const thresholds: number[] = [];
  let cumulative = 0;
  for (const weight of weights) {
    cumulative += weight;
    thresholds.push(Math.floor((cumulative * BUCKET_SPACE) / total));
  }
  thresholds[thresholds.length - 1] = BUCKET_SPACE;
  return thresholds;
}

/** Index of the variant owning `bucketNumber`, given thresholds from {@link splitThresholds}. */
export function pickSplit(thresholds: readonly number[], bucketNumber: number): number {
  const last = thresholds.length - 1;
  for (let i = 0; i < last; i++) {
    if (bucketNumber < thresholds[i]!) return i;
  }
  return last;
}
