/**
 * Does an Exif thumbnail show the same picture as the image it sits in? A camera writes both from
 * the same exposure; many editors change the picture and copy the Exif block (thumbnail included)
 * unchanged, so an edited photo often still carries a thumbnail of the original.
 *
 * Both are decoded (jpeg-js), reduced to GRID × GRID grey levels and normalised (zero mean, unit
 * variance), so that a brighter or re-compressed copy still matches. The thumbnail is compared
 * under the 8 rotations and mirrorings (some tools rotate the image and not the thumbnail) after its
 * black padding bars are cut (cameras letterbox 3:2 pictures into 160 × 120 thumbnails).
 * Two numbers come out: the correlation of the whole grids, and the largest mean difference over
 * one sixteenth of the picture (a local edit: a face, a figure, a signature).
 */
import jpeg from 'jpeg-js';

/** Side of the comparison grid. */
export const GRID = 16;
/** Main images larger than this are not decoded (pure JavaScript decoding costs ~1 s per 10 MP). */
export const MAX_DECODE_MEGAPIXELS = 40;
/**
 * A thumbnail this alike is the same picture (signals/contradictions.ts says nothing for it); a
 * thumbnail less alike is tried turned and cropped before it is called different.
 */
export const SAME_PICTURE = { correlation: 0.93, region: 0.4, detail: 0.8 };
/** Correlation at which a rotated or mirrored thumbnail counts as the same picture turned. */
const ROTATED_MATCH_MIN = 0.9;
/** A crop of the thumbnail counts as the photo only when it matches this closely (many crops are tried). */
const CROP_MATCH_MIN = 0.95;
const CROP_REGION_MAX = 0.35;
/** Edges are compared on up to FINE_GRID × FINE_GRID cells of at least FINE_CELL_PX thumbnail pixels. */
const FINE_GRID = 32;
const FINE_CELL_PX = 4;
/** A crop must match in detail this well (genuine crops measured 0.91 to 0.98, another photo's best crop 0.86). */
const CROP_DETAIL_MIN = 0.88;
/** Positions tried across and down for each crop size. */
const CROP_STEPS = 12;
/** Memory jpeg-js may use for one decode. */
const MAX_DECODE_MB = 512;

export interface Likeness {
  /** Pearson correlation of the two grey grids, -1..1 (1: the same picture). */
  correlation: number;
  /** Largest mean absolute difference over one of 16 regions, in standard deviations (0: identical). */
  worstRegion: number;
  /** Where that region is (`top left`, `centre`...). */
  worstRegionName: string;
  /**
   * Correlation of the edges on a finer grid (see edgeCorrelation), -1..1: two photos of similar
   * scenes (a sky over a horizon) match in their coarse shapes, the same picture also in its detail.
   */
  detail: number;
  /** How the thumbnail was turned or cut to match best (`none`, `rotated 90°`, `cropped to ...`). */
  transform: string;
  /** Black bars cut from the thumbnail, in pixels (top, bottom, left, right). */
  trimmed: [number, number, number, number];
}

/** Grey levels of a decoded RGBA image. */
interface Grey {
  width: number;
  height: number;
  data: Float64Array;
}

/** Decodes a JPEG to grey levels, or null when it cannot be decoded within the limits. */
export function decodeGrey(bytes: Uint8Array, maxMegapixels = MAX_DECODE_MEGAPIXELS): Grey | null {
  try {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, tolerantDecoding: true, maxResolutionInMP: maxMegapixels, maxMemoryUsageInMB: MAX_DECODE_MB });
    const n = img.width * img.height;
    if (n === 0) return null;
    const data = new Float64Array(n);
    const px = img.data;
    for (let i = 0; i < n; i++) data[i] = 0.299 * (px[i * 4] as number) + 0.587 * (px[i * 4 + 1] as number) + 0.114 * (px[i * 4 + 2] as number);
    return { width: img.width, height: img.height, data };
  } catch {
    return null;
  }
}

/**
 * Cuts the near-black bars a camera adds when the thumbnail's shape differs from the picture's
 * (letterboxing), and only then, and no more than the difference in shape: a dark sky or floor in
 * a thumbnail of the right shape is part of the picture.
 */
function trimBars(g: Grey, aspect: number): { grey: Grey; trimmed: [number, number, number, number] } {
  const rowDark = (y: number): boolean => {
    let max = 0;
    for (let x = 0; x < g.width; x++) max = Math.max(max, g.data[y * g.width + x] as number);
    return max < 40;
  };
  const colDark = (x: number, y0: number, y1: number): boolean => {
    let max = 0;
    for (let y = y0; y < y1; y++) max = Math.max(max, g.data[y * g.width + x] as number);
    return max < 40;
  };
  const extraRows = Math.round(g.height - g.width / aspect);
  const extraCols = Math.round(g.width - g.height * aspect);
  let top = 0;
  let bottom = 0;
  let left = 0;
  let right = 0;
  if (extraRows > g.height * 0.04) {
    while (top + bottom < extraRows + 2 && top < g.height / 4 && rowDark(top)) top++;
    while (top + bottom < extraRows + 2 && bottom < g.height / 4 && rowDark(g.height - 1 - bottom)) bottom++;
  } else if (extraCols > g.width * 0.04) {
    while (left + right < extraCols + 2 && left < g.width / 4 && colDark(left, 0, g.height)) left++;
    while (left + right < extraCols + 2 && right < g.width / 4 && colDark(g.width - 1 - right, 0, g.height)) right++;
  }
  if (top + bottom + left + right === 0) return { grey: g, trimmed: [0, 0, 0, 0] };
  const w = g.width - left - right;
  const h = g.height - top - bottom;
  const data = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = g.data[(y + top) * g.width + x + left] as number;
  return { grey: { width: w, height: h, data }, trimmed: [top, bottom, left, right] };
}

/** Box-averages an image (or the rectangle of it at left, top, of width × height) to size × size and normalises it. */
function grid(g: Grey, left = 0, top = 0, width = g.width, height = g.height, size = GRID): Float64Array {
  const out = new Float64Array(size * size);
  for (let gy = 0; gy < size; gy++) {
    const y0 = top + Math.floor((gy * height) / size);
    const y1 = Math.max(y0 + 1, top + Math.floor(((gy + 1) * height) / size));
    for (let gx = 0; gx < size; gx++) {
      const x0 = left + Math.floor((gx * width) / size);
      const x1 = Math.max(x0 + 1, left + Math.floor(((gx + 1) * width) / size));
      let sum = 0;
      let n = 0;
      for (let y = y0; y < y1 && y < g.height; y++) for (let x = x0; x < x1 && x < g.width; x++, n++) sum += g.data[y * g.width + x] as number;
      out[gy * size + gx] = n ? sum / n : 0;
    }
  }
  let mean = 0;
  for (const v of out) mean += v;
  mean /= out.length;
  let variance = 0;
  for (const v of out) variance += (v - mean) ** 2;
  const sd = Math.sqrt(variance / out.length) || 1;
  for (let i = 0; i < out.length; i++) out[i] = ((out[i] as number) - mean) / sd;
  return out;
}

/** The 8 rotations and mirrorings of a square grid of side n: where cell (x, y) comes from. */
const TRANSFORMS: [string, (x: number, y: number, n: number) => [number, number]][] = [
  ['none', (x, y) => [x, y]],
  ['rotated 90°', (x, y, n) => [y, n - 1 - x]],
  ['rotated 180°', (x, y, n) => [n - 1 - x, n - 1 - y]],
  ['rotated 270°', (x, y, n) => [n - 1 - y, x]],
  ['mirrored', (x, y, n) => [n - 1 - x, y]],
  ['flipped', (x, y, n) => [x, n - 1 - y]],
  ['mirrored and rotated 90°', (x, y) => [y, x]],
  ['mirrored and rotated 270°', (x, y, n) => [n - 1 - y, n - 1 - x]],
];

function transformed(g: Float64Array, n: number, map: (x: number, y: number, n: number) => [number, number]): Float64Array {
  const out = new Float64Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const [sx, sy] = map(x, y, n);
      out[y * n + x] = g[sy * n + sx] as number;
    }
  }
  return out;
}

const REGION_NAMES = [
  ['top left', 'top, left of centre', 'top, right of centre', 'top right'],
  ['upper left', 'upper middle, left', 'upper middle, right', 'upper right'],
  ['lower left', 'lower middle, left', 'lower middle, right', 'lower right'],
  ['bottom left', 'bottom, left of centre', 'bottom, right of centre', 'bottom right'],
];

/** Correlation and worst region of two normalised grids. */
function likeness(a: Float64Array, b: Float64Array, transform: string, trimmed: Likeness['trimmed'], detail = 1): Likeness {
  let corr = 0;
  for (let i = 0; i < a.length; i++) corr += (a[i] as number) * (b[i] as number);
  corr /= a.length;
  let worst = 0;
  let worstName = '';
  const R = GRID / 4;
  for (let ry = 0; ry < 4; ry++) {
    for (let rx = 0; rx < 4; rx++) {
      let d = 0;
      for (let y = ry * R; y < (ry + 1) * R; y++) for (let x = rx * R; x < (rx + 1) * R; x++) d += Math.abs((a[y * GRID + x] as number) - (b[y * GRID + x] as number));
      d /= R * R;
      if (d > worst) {
        worst = d;
        worstName = REGION_NAMES[ry]![rx]!;
      }
    }
  }
  return { correlation: corr, worstRegion: worst, worstRegionName: worstName, detail, transform, trimmed };
}

/**
 * The best crop of the thumbnail that looks like the main image: a cropped photo keeps the camera's
 * thumbnail of the whole frame. Tried from half the thumbnail's width up, the main image's shape,
 * at CROP_STEPS positions across and down.
 */
function bestCrop(thumb: Grey, main: Grey, a: Float64Array, aspect: number, trimmed: Likeness['trimmed']): Likeness | null {
  let best: Likeness | null = null;
  let rect: [number, number, number, number] = [0, 0, 0, 0];
  for (let scale = 0.5; scale <= 0.951; scale += 0.05) {
    let w = Math.round(thumb.width * scale);
    let h = Math.round(w / aspect);
    if (h > thumb.height) {
      h = Math.round(thumb.height * scale);
      w = Math.round(h * aspect);
    }
    if (w < GRID || h < GRID || w > thumb.width || h > thumb.height) continue;
    for (let i = 0; i <= CROP_STEPS; i++) {
      for (let j = 0; j <= CROP_STEPS; j++) {
        const left = Math.round(((thumb.width - w) * i) / CROP_STEPS);
        const top = Math.round(((thumb.height - h) * j) / CROP_STEPS);
        const l = likeness(a, grid(thumb, left, top, w, h), `cropped to about ${Math.round((w / thumb.width) * 100)}% of the camera's width`, trimmed);
        if (!best || l.correlation > best.correlation) {
          best = l;
          rect = [left, top, w, h];
        }
      }
    }
  }
  // Coarse shapes (a sky over a horizon) match between different photos; the same picture also
  // matches in finer detail.
  if (!best) return null;
  // The search above steps by several pixels: settle the crop to the pixel before looking at detail.
  const [l0, t0, w0, h0] = rect;
  for (let dw = -4; dw <= 4; dw += 2) {
    const w = w0 + dw;
    const h = Math.round(w / aspect);
    if (w < GRID || h < GRID || w > thumb.width || h > thumb.height) continue;
    for (let dx = -6; dx <= 6; dx++) {
      for (let dy = -6; dy <= 6; dy++) {
        const left = l0 + dx - dw / 2;
        const top = t0 + dy - Math.round((h - h0) / 2);
        if (left < 0 || top < 0 || left + w > thumb.width || top + h > thumb.height) continue;
        const l = likeness(a, grid(thumb, left, top, w, h), best.transform, trimmed);
        if (l.correlation > best.correlation) {
          best = l;
          rect = [left, top, w, h];
        }
      }
    }
  }
  const fine = fineSize(rect[2], rect[3], main);
  best.detail = edgeCorrelation(grid(main, 0, 0, main.width, main.height, fine), grid(thumb, ...rect, fine), fine);
  if (best.detail < CROP_DETAIL_MIN) return null;
  return best;
}

/**
 * Correlation of the edges of two size × size grids (differences between neighbouring cells, their
 * mean removed): smooth gradients such as a sky, which any two outdoor photos share, drop out, and
 * what is left is where things are.
 */
function edgeCorrelation(a: Float64Array, b: Float64Array, size: number): number {
  const edges = (g: Float64Array): Float64Array => {
    const out = new Float64Array(2 * size * (size - 1));
    let k = 0;
    for (let y = 0; y < size; y++) for (let x = 0; x + 1 < size; x++) out[k++] = (g[y * size + x + 1] as number) - (g[y * size + x] as number);
    for (let y = 0; y + 1 < size; y++) for (let x = 0; x < size; x++) out[k++] = (g[(y + 1) * size + x] as number) - (g[y * size + x] as number);
    let mean = 0;
    for (const v of out) mean += v;
    mean /= out.length;
    let sd = 0;
    for (const v of out) sd += (v - mean) ** 2;
    sd = Math.sqrt(sd / out.length) || 1;
    for (let i = 0; i < out.length; i++) out[i] = ((out[i] as number) - mean) / sd;
    return out;
  };
  const ea = edges(a);
  const eb = edges(b);
  let c = 0;
  for (let i = 0; i < ea.length; i++) c += (ea[i] as number) * (eb[i] as number);
  return c / ea.length;
}

/**
 * Side of the grid edges are compared on: cells of at least FINE_CELL_PX thumbnail pixels and two
 * main-image samples (finer than that, JPEG noise is all there is), at most FINE_GRID.
 */
function fineSize(thumbWidth: number, thumbHeight: number, main: Grey): number {
  return Math.max(GRID, Math.min(FINE_GRID, Math.floor(Math.min(thumbWidth, thumbHeight) / FINE_CELL_PX), Math.floor(Math.min(main.width, main.height) / 2)));
}

/** How alike a thumbnail and its main image are (both already decoded). */
export function compareThumbnail(thumbnail: Grey, main: Grey): Likeness {
  const aspect = main.width / main.height;
  const { grey, trimmed } = trimBars(thumbnail, aspect);
  const a = grid(main);
  const t = grid(grey);
  const fine = fineSize(grey.width, grey.height, main);
  const mainFine = grid(main, 0, 0, main.width, main.height, fine);
  const thumbFine = grid(grey, 0, 0, grey.width, grey.height, fine);
  const candidates = TRANSFORMS.map(([name, map]) => ({ name, map, coarse: likeness(a, transformed(t, GRID, map), name, trimmed) }));
  const detailOf = (map: (x: number, y: number, n: number) => [number, number]): number => edgeCorrelation(mainFine, transformed(thumbFine, fine, map), fine);
  const identity = { ...candidates[0]!.coarse, detail: detailOf(candidates[0]!.map) };
  const same = (l: Likeness): boolean => l.correlation >= SAME_PICTURE.correlation && l.worstRegion <= SAME_PICTURE.region && l.detail >= SAME_PICTURE.detail;
  let r: Likeness = identity;
  if (!same(identity)) {
    // Another orientation, or a crop, is taken only when it matches clearly, in shape and detail:
    // the best of many tries would otherwise flatter a thumbnail of another picture.
    const turned = candidates.slice(1).sort((x, y) => y.coarse.correlation - x.coarse.correlation)[0]!;
    const turnedMatch = { ...turned.coarse, detail: detailOf(turned.map) };
    if (turnedMatch.correlation >= ROTATED_MATCH_MIN && same(turnedMatch)) r = turnedMatch;
    else {
      const crop = bestCrop(grey, main, a, aspect, trimmed);
      if (crop && crop.correlation >= CROP_MATCH_MIN && crop.worstRegion <= CROP_REGION_MAX) r = crop;
    }
  }
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return { ...r, correlation: round(r.correlation), worstRegion: round(r.worstRegion), detail: round(r.detail) };
}
