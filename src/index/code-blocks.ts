import { Arena } from './arena.ts';
import type { RowObserver } from './group-table.ts';
import type { WasmKernel } from './wasm-kernel.ts';

/**
 * One contiguous block of sign codes per group, row for row in GroupTable's order, so the
 * kernel streams a group's codes sequentially: gathering rows by slot from one shared table
 * measured 50 ms per 1M rows against 4-5 ms sequential (random cache-line loads).
 */
interface Block {
  offset: number;
  bytes: number;
}

export class CodeBlocks implements RowObserver {
  private readonly blocks = new Map<number, Block>();

  constructor(
    private readonly kernel: WasmKernel,
    private readonly arena: Arena,
    /** Writes the sign code of a slot at `offset` of the kernel memory (codeBytes bytes). */
    private readonly encode: (slot: number, offset: number) => void,
  ) {}

  /** Byte offset of a group's first code row in the kernel memory. */
  offset(groupId: number): number {
    return this.blocks.get(groupId)!.offset;
  }

  appended(groupId: number, row: number, slot: number): void {
    const width = this.kernel.codeBytes;
    const block = this.reserve(groupId, (row + 1) * width);
    this.encode(slot, block.offset + row * width);
  }

  moved(groupId: number, from: number, to: number): void {
    const width = this.kernel.codeBytes;
    const { offset } = this.blocks.get(groupId)!;
    this.kernel.view().copyWithin(offset + to * width, offset + from * width, offset + (from + 1) * width);
  }

  deleted(groupId: number): void {
    const block = this.blocks.get(groupId)!;
    this.arena.release(block.offset, block.bytes);
    this.blocks.delete(groupId);
  }

  /** The group's block, moved to a larger one (capacity doubles) when `bytes` do not fit. */
  private reserve(groupId: number, bytes: number): Block {
    const block = this.blocks.get(groupId);
    if (block && bytes <= block.bytes) return block;
    const capacity = Arena.capacity(bytes);
    const grown = { offset: this.arena.alloc(capacity), bytes: capacity };
    if (block) {
      this.kernel.view().copyWithin(grown.offset, block.offset, block.offset + block.bytes);
      this.arena.release(block.offset, block.bytes);
    }
    this.blocks.set(groupId, grown);
    return grown;
  }
}
