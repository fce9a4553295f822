// The deflater's output: an LSB-first bit writer (RFC 1951 §3.1.1) over a reusable buffer.

/** The smallest output buffer allocated, so that token-sized inputs never grow it. */
const MIN_OUTPUT_BYTES = 2048
/**
 * Room kept after the output's capacity: bits are written out 4 bytes at a time (here and in
 * blocks.ts), of which only the complete bytes count; the others are rewritten next.
 */
const WRITE_SLACK = 4

/**
 * Bits are collected in `bitBuf`; after each piece the buffer is stored as 4 bytes, the complete
 * bytes are kept and fewer than 8 bits stay pending, without a branch on the bit count (one the
 * processor could not predict). The buffer never holds more than 31 bits, so it stays a
 * non-negative int32; shifting it with `>>` (not `>>>`, whose result V8 types as uint32) keeps it
 * in an int32 register. The fields are public so that the per-symbol loop of a block can keep
 * them in locals and store them back.
 */
export class BitWriter {
  out = new Uint8Array(0)
  /** A DataView of `out`, for writing 4 bytes at once (see {@link WRITE_SLACK}). */
  outView = new DataView(this.out.buffer)
  pos = 0
  bitBuf = 0
  bitCount = 0

  /** Starts an empty output with room for at least `capacity` bytes. */
  reset(capacity: number): void {
    if (this.out.length < capacity + WRITE_SLACK) {
      this.out = new Uint8Array(Math.max(capacity + WRITE_SLACK, MIN_OUTPUT_BYTES))
      this.outView = new DataView(this.out.buffer)
    }
    this.pos = 0
    this.bitBuf = 0
    this.bitCount = 0
  }

  /** Appends the low `length` (≤ 16) bits of `value`. */
  putBits(value: number, length: number): void {
    const buf = this.bitBuf | (value << this.bitCount)
    const count = this.bitCount + length
    this.outView.setInt32(this.pos, buf, true)
    this.pos += count >> 3
    this.bitBuf = buf >> (count & ~7)
    this.bitCount = count & 7
  }

  /** Pads with zero bits to a byte boundary (zlib's bi_windup). */
  alignToByte(): void {
    // Fewer than 8 bits are pending (see putBits).
    if (this.bitCount > 0) this.out[this.pos++] = this.bitBuf & 0xff
    this.bitBuf = 0
    this.bitCount = 0
  }

  /** Appends a byte; only at a byte boundary. */
  putByte(value: number): void {
    this.out[this.pos++] = value
  }

  /** Appends `data[start, end)`; only at a byte boundary. */
  putBytes(data: Uint8Array, start: number, end: number): void {
    this.out.set(data.subarray(start, end), this.pos)
    this.pos += end - start
  }

  /** The bytes written so far: a view that the next {@link reset} reuses. */
  view(): Uint8Array {
    return this.out.subarray(0, this.pos)
  }
}
