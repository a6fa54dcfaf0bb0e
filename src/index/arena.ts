import type { WasmKernel } from './wasm-kernel.ts';

/**
 * Allocates byte ranges of the kernel's memory in power-of-two size classes with a free list
 * per class. Wasm memory never shrinks, so freed blocks are recycled rather than returned;
 * the classes bound the waste to 2x of what is live.
 */
const MIN_CLASS = 10; // 1 KB

export class Arena {
  private readonly free: number[][] = [];
  private top: number;

  constructor(private readonly kernel: WasmKernel) {
    this.top = align(kernel.reserved, 1 << MIN_CLASS);
  }

  /** Usable size of a block asked for with `bytes`. */
  static capacity(bytes: number): number {
    return 1 << sizeClass(bytes);
  }

  alloc(bytes: number): number {
    const cls = sizeClass(bytes);
    const reused = this.free[cls]?.pop();
    if (reused !== undefined) return reused;
    const offset = this.top;
    this.top += 1 << cls;
    this.kernel.ensureCapacity(this.top);
    return offset;
  }

  release(offset: number, bytes: number): void {
    (this.free[sizeClass(bytes)] ??= []).push(offset);
  }
}

function sizeClass(bytes: number): number {
  return Math.max(MIN_CLASS, Math.ceil(Math.log2(Math.max(bytes, 1))));
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
