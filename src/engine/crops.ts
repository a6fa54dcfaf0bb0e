/**
 * Face-relative crop rectangles the attribute and liveness models were trained with
 * (reconstructed from the model package's reference code).
 */
import type { Box } from './detect.ts';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The box scaled by `scale` about its centre and then slid (not clipped) to lie inside the
 * image; when the image is too small for the scaled box the scale shrinks to fit.
 */
export function contextRect(box: Box, scale: number, width: number, height: number): Rect {
  const bw = box.x2 - box.x1;
  const bh = box.y2 - box.y1;
  const k = Math.min((height - 1) / bh, (width - 1) / bw, scale);
  const w = bw * k;
  const h = bh * k;
  const x = Math.min(Math.max(0, (box.x1 + box.x2 - w) / 2), width - 1 - w);
  const y = Math.min(Math.max(0, (box.y1 + box.y2 - h) / 2), height - 1 - h);
  return { x, y, w, h };
}

/** The box grown by `margin` of its size on every side and clipped to the image. */
export function marginRect(box: Box, margin: number, width: number, height: number): Rect {
  const bw = box.x2 - box.x1;
  const bh = box.y2 - box.y1;
  const x1 = Math.max(0, box.x1 - bw * margin);
  const y1 = Math.max(0, box.y1 - bh * margin);
  const x2 = Math.min(width, box.x2 + bw * margin);
  const y2 = Math.min(height, box.y2 + bh * margin);
  return { x: x1, y: y1, w: x2 - x1, h: y2 - y1 };
}
