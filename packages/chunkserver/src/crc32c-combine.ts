// CRC32C of a concatenation from the CRCs of its parts (zlib's crc32_combine, for the Castagnoli
// polynomial): crc(A‖B) = crc(A)·x^(8·|B|) mod P ⊕ crc(B). The writer keeps one CRC per 64 KiB
// block and derives the whole slice's CRC from them, instead of a second pass over the bytes.
// Arithmetic is over GF(2) in the reflected bit order that CRC32C uses.

/** The reflected Castagnoli polynomial. */
const poly = 0x82f63b78;

/** a(x)·b(x) mod P(x); bit 31 is x^0 (reflected). */
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ poly : b >>> 1;
  }
  return p >>> 0;
}

/** x2nTable[k] = x^(2^k) mod P. */
const x2nTable: number[] = [];
{
  let p = 0x40000000; // x^1
  for (let k = 0; k < 32; k++) {
    x2nTable.push(p);
    p = multModP(p, p);
  }
}

/** x^(8·n) mod P: the operator that shifts a CRC past n zero bytes. */
export function shiftOperator(n: number): number {
  let xp = 0x80000000; // x^0
  let k = 3;
  while (n > 0) {
    if (n % 2 === 1) xp = multModP(x2nTable[k & 31] as number, xp);
    n = Math.floor(n / 2);
    k++;
  }
  return xp;
}

/** CRC32C of A‖B given crc(A), crc(B) and |B|, or a precomputed `shiftOperator(|B|)`. */
export function crc32cCombine(crcA: number, crcB: number, lengthB: number, operator = shiftOperator(lengthB)): number {
  return (multModP(operator, crcA >>> 0) ^ crcB) >>> 0;
}
