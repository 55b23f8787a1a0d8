// Base64 for inline file data inside JSON values, written out here because the state machine
// stays free of host APIs, so that every replica computes exactly the same bytes.
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const lookup = new Map<string, number>([...alphabet].map((c, i) => [c, i]));

export function base64Encode(bytes: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = i + 1 < bytes.length ? (bytes[i + 1] as number) : 0;
    const c = i + 2 < bytes.length ? (bytes[i + 2] as number) : 0;
    const n = (a << 16) | (b << 8) | c;
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? alphabet[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? alphabet[n & 63]! : '=';
  }
  return out;
}

/** The bytes of a base64 string, or undefined if it is malformed. */
export function base64Decode(s: string): number[] | undefined {
  if (s.length % 4 !== 0) return undefined;
  const out: number[] = [];
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    let pad = 0;
    for (let k = 0; k < 4; k++) {
      const ch = s[i + k] as string;
      if (ch === '=' && i + 4 === s.length && k >= 2) {
        pad++;
        n <<= 6;
        continue;
      }
      const v = lookup.get(ch);
      if (v === undefined || pad > 0) return undefined;
      n = (n << 6) | v;
    }
    out.push((n >> 16) & 255);
    if (pad < 2) out.push((n >> 8) & 255);
    if (pad < 1) out.push(n & 255);
  }
  return out;
}

/** Byte length of a well-formed base64 string. */
export function inlineLength(s: string): number {
  if (s.length === 0) return 0;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length / 4) * 3 - pad;
}

/** The first `length` bytes of base64 data, re-encoded. */
export function base64Slice(s: string, length: number): string {
  return base64Encode((base64Decode(s) ?? []).slice(0, length));
}
