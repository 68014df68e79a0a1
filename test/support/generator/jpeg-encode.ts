/**
 * A small baseline JPEG encoder (ITU T.81: sequential DCT, Huffman, 8-bit, YCbCr 4:2:0 as cameras
 * write it) with the Annex K example quantization and Huffman tables. It returns the encoded
 * segments without APP markers, so one scan can be re-wrapped with many different EXIF blocks.
 */

/** Annex K.1 luminance and chrominance quantization tables, natural (row-major) order. */
const STD_LUMA_Q = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22,
  37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const STD_CHROMA_Q = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
  ...new Array<number>(32).fill(99),
];

/** Annex K.3 Huffman tables: code counts for lengths 1..16, then symbols in code order. */
const DC_LUMA_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_CHROMA_COUNTS = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
const DC_SYMBOLS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_LUMA_COUNTS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
const AC_LUMA_SYMBOLS = [
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91,
  0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a,
  0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53,
  0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79,
  0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
  0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9,
  0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2,
  0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
];
const AC_CHROMA_COUNTS = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];
const AC_CHROMA_SYMBOLS = [
  0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14,
  0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17,
  0x18, 0x19, 0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a,
  0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78,
  0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3,
  0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
  0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2,
  0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
];

/** Zigzag position -> natural index (T.81 Figure 5), computed rather than typed. */
const ZIGZAG: number[] = (() => {
  const order: number[] = [];
  for (let s = 0; s < 15; s++) {
    const cells: number[] = [];
    for (let y = 0; y < 8; y++) {
      const x = s - y;
      if (x >= 0 && x < 8) cells.push(y * 8 + x);
    }
    // Even diagonals run bottom-left to top-right.
    order.push(...(s % 2 === 0 ? cells.reverse() : cells));
  }
  return order;
})();

/** AAN DCT output scale per row/column (IJG jfdctflt.c); folded into the quantization divisors. */
const AAN_SCALE = [1.0, 1.387039845, 1.306562965, 1.175875602, 1.0, 0.785694958, 0.5411961, 0.275899379];

/**
 * In-place scaled 8x8 forward DCT (Arai, Agui and Nakajima, as in IJG jfdctflt.c): 80
 * multiplications per block instead of 1024; outputs are off by AAN_SCALE[u] * AAN_SCALE[v] * 8.
 */
function forwardDct(d: Float64Array): void {
  for (let pass = 0; pass < 2; pass++) {
    const step = pass === 0 ? 1 : 8;
    const stride = pass === 0 ? 8 : 1;
    for (let k = 0; k < 8; k++) {
      const i = k * stride;
      const d0 = d[i] as number, d1 = d[i + step] as number, d2 = d[i + 2 * step] as number, d3 = d[i + 3 * step] as number;
      const d4 = d[i + 4 * step] as number, d5 = d[i + 5 * step] as number, d6 = d[i + 6 * step] as number, d7 = d[i + 7 * step] as number;
      const t0 = d0 + d7, t7 = d0 - d7, t1 = d1 + d6, t6 = d1 - d6;
      const t2 = d2 + d5, t5 = d2 - d5, t3 = d3 + d4, t4 = d3 - d4;
      // Even part.
      const t10 = t0 + t3, t13 = t0 - t3, t11 = t1 + t2, t12 = t1 - t2;
      d[i] = t10 + t11;
      d[i + 4 * step] = t10 - t11;
      const z1 = (t12 + t13) * 0.707106781;
      d[i + 2 * step] = t13 + z1;
      d[i + 6 * step] = t13 - z1;
      // Odd part.
      const o10 = t4 + t5, o11 = t5 + t6, o12 = t6 + t7;
      const z5 = (o10 - o12) * 0.382683433;
      const z2 = 0.5411961 * o10 + z5;
      const z4 = 1.306562965 * o12 + z5;
      const z3 = o11 * 0.707106781;
      const z11 = t7 + z3, z13 = t7 - z3;
      d[i + 5 * step] = z13 + z2;
      d[i + 3 * step] = z13 - z2;
      d[i + step] = z11 + z4;
      d[i + 7 * step] = z11 - z4;
    }
  }
}

/** Reciprocal divisors: quantization step times the AAN output scale, natural order. */
function divisors(q: number[]): Float64Array {
  const out = new Float64Array(64);
  for (let v = 0; v < 8; v++) for (let u = 0; u < 8; u++) out[v * 8 + u] = 1 / ((q[v * 8 + u] as number) * (AAN_SCALE[v] as number) * (AAN_SCALE[u] as number) * 8);
  return out;
}

/** IJG quality scaling of a base table, clamped to baseline's 1..255. */
function scaleTable(base: number[], quality: number): number[] {
  const q = Math.min(100, Math.max(1, quality));
  const scale = q < 50 ? 5000 / q : 200 - 2 * q;
  return base.map((v) => Math.min(255, Math.max(1, Math.floor((v * scale + 50) / 100))));
}

interface HuffmanCode {
  code: Int32Array;
  length: Int32Array;
}

function buildCodes(counts: number[], symbols: number[]): HuffmanCode {
  const code = new Int32Array(256);
  const length = new Int32Array(256);
  let c = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < (counts[len - 1] as number); i++) {
      const sym = symbols[k++] as number;
      code[sym] = c++;
      length[sym] = len;
    }
    c <<= 1;
  }
  return { code, length };
}

class BitWriter {
  private buf: Buffer;
  private pos = 0;
  private acc = 0;
  private bits = 0;

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  private put(byte: number): void {
    if (this.pos + 2 > this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.pos);
      this.buf = bigger;
    }
    this.buf[this.pos++] = byte;
    // T.81 §F.1.2.3: a 0xFF byte in entropy-coded data is followed by a stuffed 0x00.
    if (byte === 0xff) this.buf[this.pos++] = 0;
  }

  write(value: number, length: number): void {
    // At most 7 pending bits + 16 new ones: fits a 32-bit integer.
    this.acc = (this.acc << length) | (value & ((1 << length) - 1));
    this.bits += length;
    while (this.bits >= 8) {
      this.bits -= 8;
      this.put((this.acc >>> this.bits) & 0xff);
    }
    this.acc &= (1 << this.bits) - 1;
  }

  finish(): Buffer {
    // Pad the last byte with 1-bits (T.81 §F.1.2.3).
    if (this.bits > 0) this.write((1 << (8 - this.bits)) - 1, 8 - this.bits);
    return this.buf.subarray(0, this.pos);
  }
}

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** Bits needed for |v| (the JPEG "size category"). */
function category(v: number): number {
  let a = v < 0 ? -v : v;
  let n = 0;
  while (a > 0) {
    n++;
    a >>= 1;
  }
  return n;
}

/** The encoded image minus SOI and APPn: DQT, SOF0, DHT, SOS, entropy-coded data, EOI. */
export interface JpegScan {
  width: number;
  height: number;
  body: Buffer;
}

/**
 * Encodes RGB pixels (3 bytes per pixel, row-major) as baseline YCbCr 4:2:0.
 * `quality` follows the IJG scale (1-100).
 */
export function encodeJpegScan(rgb: Uint8Array, width: number, height: number, quality = 85): JpegScan {
  const qY = scaleTable(STD_LUMA_Q, quality);
  const qC = scaleTable(STD_CHROMA_Q, quality);
  const dcY = buildCodes(DC_LUMA_COUNTS, DC_SYMBOLS);
  const dcC = buildCodes(DC_CHROMA_COUNTS, DC_SYMBOLS);
  const acY = buildCodes(AC_LUMA_COUNTS, AC_LUMA_SYMBOLS);
  const acC = buildCodes(AC_CHROMA_COUNTS, AC_CHROMA_SYMBOLS);

  // Planes, padded to whole 16x16 MCUs by repeating the edge pixels.
  const pw = Math.ceil(width / 16) * 16;
  const ph = Math.ceil(height / 16) * 16;
  const Y = new Float32Array(pw * ph);
  const Cb = new Float32Array((pw / 2) * (ph / 2));
  const Cr = new Float32Array((pw / 2) * (ph / 2));
  for (let y = 0; y < ph; y++) {
    const sy = Math.min(y, height - 1);
    for (let x = 0; x < pw; x++) {
      const i = (sy * width + Math.min(x, width - 1)) * 3;
      const r = rgb[i] as number;
      const g = rgb[i + 1] as number;
      const b = rgb[i + 2] as number;
      Y[y * pw + x] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
      const ci = (y >> 1) * (pw / 2) + (x >> 1);
      // 2x2 averaging: each pixel adds a quarter.
      Cb[ci] = (Cb[ci] as number) + 0.25 * (-0.168736 * r - 0.331264 * g + 0.5 * b);
      Cr[ci] = (Cr[ci] as number) + 0.25 * (0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  }

  const out = new BitWriter(Math.max(4096, width * height));
  const block = new Float64Array(64);
  const coeffs = new Int32Array(64);
  const divY = divisors(qY);
  const divC = divisors(qC);
  let predY = 0;
  let predCb = 0;
  let predCr = 0;

  const encodeBlock = (plane: Float32Array, stride: number, bx: number, by: number, div: Float64Array, dc: HuffmanCode, ac: HuffmanCode, pred: number): number => {
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) block[y * 8 + x] = plane[(by + y) * stride + bx + x] as number;
    forwardDct(block);
    for (let k = 0; k < 64; k++) coeffs[k] = Math.round((block[k] as number) * (div[k] as number));
    const dcValue = coeffs[0] as number;
    const diff = dcValue - pred;
    const dcCat = category(diff);
    out.write(dc.code[dcCat] as number, dc.length[dcCat] as number);
    if (dcCat > 0) out.write(diff < 0 ? diff + (1 << dcCat) - 1 : diff, dcCat);
    let run = 0;
    for (let k = 1; k < 64; k++) {
      const v = coeffs[ZIGZAG[k] as number] as number;
      if (v === 0) {
        run++;
        continue;
      }
      while (run > 15) {
        out.write(ac.code[0xf0] as number, ac.length[0xf0] as number);
        run -= 16;
      }
      const cat = category(v);
      const sym = (run << 4) | cat;
      out.write(ac.code[sym] as number, ac.length[sym] as number);
      out.write(v < 0 ? v + (1 << cat) - 1 : v, cat);
      run = 0;
    }
    if (run > 0) out.write(ac.code[0] as number, ac.length[0] as number);
    return dcValue;
  };

  for (let my = 0; my < ph; my += 16) {
    for (let mx = 0; mx < pw; mx += 16) {
      predY = encodeBlock(Y, pw, mx, my, divY, dcY, acY, predY);
      predY = encodeBlock(Y, pw, mx + 8, my, divY, dcY, acY, predY);
      predY = encodeBlock(Y, pw, mx, my + 8, divY, dcY, acY, predY);
      predY = encodeBlock(Y, pw, mx + 8, my + 8, divY, dcY, acY, predY);
      predCb = encodeBlock(Cb, pw / 2, mx / 2, my / 2, divC, dcC, acC, predCb);
      predCr = encodeBlock(Cr, pw / 2, mx / 2, my / 2, divC, dcC, acC, predCr);
    }
  }
  const scan = out.finish();

  const dqt = Buffer.alloc(130);
  dqt[0] = 0;
  dqt[65] = 1;
  for (let k = 0; k < 64; k++) {
    dqt[1 + k] = qY[ZIGZAG[k] as number] as number;
    dqt[66 + k] = qC[ZIGZAG[k] as number] as number;
  }
  const sof = Buffer.from([8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  const dht = Buffer.concat([
    Buffer.from([0x00, ...DC_LUMA_COUNTS, ...DC_SYMBOLS]),
    Buffer.from([0x10, ...AC_LUMA_COUNTS, ...AC_LUMA_SYMBOLS]),
    Buffer.from([0x01, ...DC_CHROMA_COUNTS, ...DC_SYMBOLS]),
    Buffer.from([0x11, ...AC_CHROMA_COUNTS, ...AC_CHROMA_SYMBOLS]),
  ]);
  const sos = Buffer.from([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
  const body = Buffer.concat([segment(0xdb, dqt), segment(0xc0, sof), segment(0xc4, dht), segment(0xda, sos), scan, Buffer.from([0xff, 0xd9])]);
  return { width, height, body };
}

/** The APP0 JFIF 1.01 segment written by scanners and image editors (no EXIF). */
export function jfifSegment(dpi = 72): Buffer {
  return segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 1, dpi >> 8, dpi & 0xff, dpi >> 8, dpi & 0xff, 0, 0]));
}

/** An APPn segment with the given payload. */
export function appSegment(n: number, payload: Buffer): Buffer {
  return segment(0xe0 + n, payload);
}

/** SOI + the given APP segments + the scan: a complete JPEG file. */
export function assembleJpeg(scan: JpegScan, appSegments: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8]), ...appSegments, scan.body]);
}
