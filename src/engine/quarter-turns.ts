/**
 * Quarter turns of a decoded photo, for NeedRotateDetection: a photo shot sideways without an
 * EXIF orientation shows faces the detector (trained upright) misses, so the pipeline may look
 * again at the photo turned by 90°, 180° and 270° clockwise, then report boxes and landmarks in
 * the photo's own frame.
 */
import type { Rgb } from './raster.ts';

export type QuarterTurns = 1 | 2 | 3;

/** The image turned `q` quarter turns clockwise. */
export function turnClockwise(src: Rgb, q: QuarterTurns): Rgb {
  const { width: w, height: h, data } = src;
  const tw = q === 2 ? w : h;
  const th = q === 2 ? h : w;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [u, v] = q === 1 ? [h - 1 - y, x] : q === 2 ? [w - 1 - x, h - 1 - y] : [y, w - 1 - x];
      const s = (y * w + x) * 3;
      const d = (v * tw + u) * 3;
      out[d] = data[s]!;
      out[d + 1] = data[s + 1]!;
      out[d + 2] = data[s + 2]!;
    }
  }
  return { data: out, width: tw, height: th };
}

/** A point of the turned image, back in the original image of size width × height (continuous coordinates). */
export function pointBack(q: QuarterTurns, width: number, height: number, [u, v]: readonly [number, number]): [number, number] {
  if (q === 1) return [v, height - u];
  if (q === 2) return [width - u, height - v];
  return [width - v, u];
}

/** A box of the turned image, back in the original frame. */
export function boxBack(
  q: QuarterTurns,
  width: number,
  height: number,
  b: { x: number; y: number; width: number; height: number },
): { x: number; y: number; width: number; height: number } {
  const [ax, ay] = pointBack(q, width, height, [b.x, b.y]);
  const [bx, by] = pointBack(q, width, height, [b.x + b.width, b.y + b.height]);
  return { x: Math.min(ax, bx), y: Math.min(ay, by), width: Math.abs(bx - ax), height: Math.abs(by - ay) };
}
