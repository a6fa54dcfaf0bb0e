/**
 * Pixel primitives shared by every stage. One sampler (affine warp with bilinear interpolation)
 * produces every model input — detector frames, tiles, landmark crops, aligned faces, attribute
 * crops — so border handling and anti-aliasing behave the same everywhere.
 */

/** Interleaved 8-bit RGB. */
export interface Rgb {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Maps a destination pixel (x, y) to source coordinates: sx = a·x + b·y + c, sy = d·x + e·y + f. */
export type Affine = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

export type Point = readonly [x: number, y: number];

/** Halves an image with a 2×2 box filter (odd last row/column are folded into the previous cell). */
function halve(src: Rgb): Rgb {
  const w = Math.max(1, src.width >> 1);
  const h = Math.max(1, src.height >> 1);
  const out = new Uint8Array(w * h * 3);
  const s = src.data;
  const sw = src.width;
  for (let y = 0; y < h; y++) {
    const r0 = Math.min(2 * y, src.height - 1) * sw * 3;
    const r1 = Math.min(2 * y + 1, src.height - 1) * sw * 3;
    for (let x = 0; x < w; x++) {
      const c0 = Math.min(2 * x, sw - 1) * 3;
      const c1 = Math.min(2 * x + 1, sw - 1) * 3;
      const o = (y * w + x) * 3;
      for (let k = 0; k < 3; k++) {
        out[o + k] = (s[r0 + c0 + k]! + s[r0 + c1 + k]! + s[r1 + c0 + k]! + s[r1 + c1 + k]! + 2) >> 2;
      }
    }
  }
  return { data: out, width: w, height: h };
}

/**
 * Lazily built 2× pyramid so that strong downscaling (a 4000 px photo into a 320 px detector
 * frame) averages pixels instead of aliasing: bilinear sampling alone only looks at 4 pixels.
 */
export class Pyramid {
  private readonly levels: Rgb[];

  constructor(readonly base: Rgb) {
    this.levels = [base];
  }

  get width(): number {
    return this.base.width;
  }

  get height(): number {
    return this.base.height;
  }

  level(n: number): Rgb {
    while (this.levels.length <= n) {
      const top = this.levels[this.levels.length - 1]!;
      if (top.width < 2 || top.height < 2) return top;
      this.levels.push(halve(top));
    }
    return this.levels[n]!;
  }

  /**
   * Samples `width`×`height` pixels through `m` (destination → base-image coordinates, pixel
   * centres at integers). Outside the image reads as black, like OpenCV's default border.
   */
  warp(m: Affine, width: number, height: number): Rgb {
    const scale = Math.sqrt(Math.abs(m[0] * m[4] - m[1] * m[3]));
    // Use the level whose pixels are at most ~1.5 destination pixels apart; finer levels alias.
    const n = scale >= 1.5 ? Math.floor(Math.log2(scale / 1.5)) + 1 : 0;
    const src = this.level(n);
    const k = 2 ** n;
    // base coordinate x maps to level coordinate (x + 0.5) / k - 0.5
    const t = (0.5 / k) - 0.5;
    const lm: Affine = [m[0] / k, m[1] / k, m[2] / k + t, m[3] / k, m[4] / k, m[5] / k + t];
    return sample(src, lm, width, height);
  }
}

function sample(src: Rgb, m: Affine, width: number, height: number): Rgb {
  const out = new Uint8Array(width * height * 3);
  const { data, width: sw, height: sh } = src;
  const [a, b, c, d, e, f] = m;
  let o = 0;
  for (let y = 0; y < height; y++) {
    let sx = b * y + c;
    let sy = e * y + f;
    for (let x = 0; x < width; x++, sx += a, sy += d, o += 3) {
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < -1 || y0 < -1 || x0 >= sw || y0 >= sh) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < sw && y0 + 1 < sh) {
        // interior: all four neighbours exist (the common case, kept free of bounds checks)
        const p00 = (y0 * sw + x0) * 3;
        const p01 = p00 + sw * 3;
        out[o] = w00 * data[p00]! + w10 * data[p00 + 3]! + w01 * data[p01]! + w11 * data[p01 + 3]! + 0.5;
        out[o + 1] = w00 * data[p00 + 1]! + w10 * data[p00 + 4]! + w01 * data[p01 + 1]! + w11 * data[p01 + 4]! + 0.5;
        out[o + 2] = w00 * data[p00 + 2]! + w10 * data[p00 + 5]! + w01 * data[p01 + 2]! + w11 * data[p01 + 5]! + 0.5;
        continue;
      }
      const in0 = y0 >= 0;
      const in1 = y0 + 1 < sh;
      const inL = x0 >= 0;
      const inR = x0 + 1 < sw;
      const p00 = (y0 * sw + x0) * 3;
      const p01 = p00 + sw * 3;
      for (let ch = 0; ch < 3; ch++) {
        let v = 0;
        if (in0 && inL) v += w00 * data[p00 + ch]!;
        if (in0 && inR) v += w10 * data[p00 + 3 + ch]!;
        if (in1 && inL) v += w01 * data[p01 + ch]!;
        if (in1 && inR) v += w11 * data[p01 + 3 + ch]!;
        out[o + ch] = v + 0.5;
      }
    }
  }
  return { data: out, width, height };
}

/** Affine that maps a `width`×`height` output onto the axis-aligned source rectangle (x, y, w, h). */
export function rectAffine(x: number, y: number, w: number, h: number, width: number, height: number): Affine {
  const sx = w / width;
  const sy = h / height;
  // pixel centres: output pixel i covers source [x + i·sx, x + (i+1)·sx)
  return [sx, 0, x + 0.5 * sx - 0.5, 0, sy, y + 0.5 * sy - 0.5];
}

/**
 * Planar float tensor (1×3×H×W): plane c = (v − mean[c]) / std[c]. Some of the shipped
 * models were trained on OpenCV's BGR order; `order` says which channel goes first.
 */
export function toChw(img: Rgb, mean: readonly number[], std: readonly number[], order: 'rgb' | 'bgr' = 'rgb'): Float32Array {
  const n = img.width * img.height;
  const t = new Float32Array(3 * n);
  const d = img.data;
  for (let plane = 0; plane < 3; plane++) {
    const ch = order === 'rgb' ? plane : 2 - plane;
    const m = mean[plane]!;
    const inv = 1 / std[plane]!;
    const base = plane * n;
    for (let i = 0; i < n; i++) t[base + i] = (d[i * 3 + ch]! - m) * inv;
  }
  return t;
}

/** Luma (BT.601) per pixel, 0..255 floats. */
export function luma(img: Rgb): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  const d = img.data;
  for (let i = 0; i < n; i++) out[i] = 0.299 * d[i * 3]! + 0.587 * d[i * 3 + 1]! + 0.114 * d[i * 3 + 2]!;
  return out;
}

export function mirror(img: Rgb): Rgb {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++) {
    const row = y * w * 3;
    for (let x = 0; x < w; x++) {
      const s = row + x * 3;
      const o = row + (w - 1 - x) * 3;
      out[o] = data[s]!;
      out[o + 1] = data[s + 1]!;
      out[o + 2] = data[s + 2]!;
    }
  }
  return { data: out, width: w, height: h };
}
