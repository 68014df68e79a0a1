/**
 * Procedural pictures to feed the JPEG encoder: an outdoor "photo" (sky, horizon, buildings,
 * grain) or a "scan" (a page with lines of grey text marks). Only looks matter, plus enough
 * texture that the files have realistic sizes.
 */
import { Prng } from './prng.ts';

/** What to paint. */
export type PictureKind = 'photo' | 'scan';

/** RGB pixels, 3 bytes each, row-major. */
export function paintPicture(kind: PictureKind, width: number, height: number, seed: number, grain = 18): Uint8Array {
  const prng = new Prng(seed);
  const px = new Uint8Array(width * height * 3);
  const set = (x: number, y: number, r: number, g: number, b: number): void => {
    const i = (y * width + x) * 3;
    px[i] = r < 0 ? 0 : r > 255 ? 255 : r;
    px[i + 1] = g < 0 ? 0 : g > 255 ? 255 : g;
    px[i + 2] = b < 0 ? 0 : b > 255 ? 255 : b;
  };
  // A cheap noise source: xorshift on a local state is much faster than the Prng per pixel.
  let n = prng.nextU32() | 1;
  const noise = (): number => {
    n ^= n << 13;
    n ^= n >>> 17;
    n ^= n << 5;
    return ((n & 0xff) - 128) / 128;
  };

  if (kind === 'scan') {
    const paper = 235 + prng.int(0, 15);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      const v = paper + noise() * grain * 0.3;
      set(x, y, v, v, v - 4);
    }
    const margin = Math.floor(width * 0.1);
    const lineH = Math.max(4, Math.floor(height / 110));
    for (let y = margin; y < height - margin; y += lineH * 2) {
      const end = width - margin - prng.int(0, Math.floor(width * 0.3));
      let x = margin;
      while (x < end) {
        const word = prng.int(lineH, lineH * 5);
        for (let yy = y; yy < y + lineH && yy < height; yy++) for (let xx = x; xx < Math.min(x + word, end); xx++) {
          const v = 60 + noise() * 40;
          set(xx, yy, v, v, v + 5);
        }
        x += word + Math.floor(lineH / 2);
      }
    }
    return px;
  }

  const horizon = Math.floor(height * (0.45 + prng.next() * 0.2));
  const sky = [prng.int(90, 150), prng.int(140, 190), prng.int(200, 250)] as const;
  const ground = [prng.int(60, 130), prng.int(70, 130), prng.int(40, 90)] as const;
  for (let y = 0; y < height; y++) {
    const t = y / height;
    for (let x = 0; x < width; x++) {
      const g = noise() * grain;
      if (y < horizon) set(x, y, sky[0] + t * 60 + g, sky[1] + t * 40 + g, sky[2] - t * 20 + g);
      else {
        const stripe = Math.sin((x + y * 3) * 0.05) * 10;
        set(x, y, ground[0] + stripe + g, ground[1] + stripe + g, ground[2] + g);
      }
    }
  }
  const buildings = prng.int(3, 9);
  for (let k = 0; k < buildings; k++) {
    const w = prng.int(Math.floor(width / 20), Math.floor(width / 6));
    const h = prng.int(Math.floor(height / 8), Math.floor(height / 2.5));
    const x0 = prng.int(0, width - w);
    const base = [prng.int(120, 230), prng.int(110, 220), prng.int(100, 210)] as const;
    for (let y = Math.max(0, horizon - h); y < Math.min(height, horizon + 4); y++) {
      for (let x = x0; x < x0 + w; x++) {
        const win = (x - x0) % 14 < 6 && (y - horizon + h) % 18 < 8 ? -60 : 0;
        const g = noise() * grain;
        set(x, y, base[0] + win + g, base[1] + win + g, base[2] + win + g);
      }
    }
  }
  return px;
}
