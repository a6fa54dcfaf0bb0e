import { FREE_SLOT } from './image.ts';
import { checkId } from './validate.ts';

/**
 * Dense slot numbers for item ids, reused after removal, so per-item data can live in flat
 * typed arrays indexed by slot instead of per-item objects.
 */
export class SlotMap {
  private readonly slotOf = new Map<number, number>();
  private itemOf = new Int32Array(1024);
  private free: number[] = [];
  private next = 0;

  get size(): number {
    return this.slotOf.size;
  }

  /** One past the highest slot ever handed out: per-slot arrays need this many entries. */
  get highWater(): number {
    return this.next;
  }

  slot(itemId: number): number | undefined {
    return this.slotOf.get(itemId);
  }

  item(slot: number): number {
    return this.itemOf[slot]!;
  }

  /** A slot for a new item (the caller checked it is not stored yet). */
  allocate(itemId: number): number {
    const slot = this.free.pop() ?? this.next++;
    if (slot >= this.itemOf.length) {
      const grown = new Int32Array(this.itemOf.length * 2);
      grown.set(this.itemOf);
      this.itemOf = grown;
    }
    this.itemOf[slot] = itemId;
    this.slotOf.set(itemId, slot);
    return slot;
  }

  release(itemId: number): number | undefined {
    const slot = this.slotOf.get(itemId);
    if (slot === undefined) return undefined;
    this.slotOf.delete(itemId);
    this.free.push(slot);
    return slot;
  }

  /** The item of every slot below highWater, FREE_SLOT for a free one. */
  ids(): Int32Array {
    const ids = this.itemOf.slice(0, this.next);
    for (const slot of this.free) ids[slot] = FREE_SLOT;
    return ids;
  }

  /** Makes an empty map hold exactly `ids` (as `ids()` gave them), slot for slot. */
  restore(ids: Int32Array): void {
    if (this.next > 0) throw new Error('only an empty slot map can be restored');
    this.itemOf = new Int32Array(Math.max(1024, ids.length));
    this.itemOf.set(ids);
    const free: number[] = [];
    for (let slot = 0; slot < ids.length; slot++) {
      const itemId = ids[slot]!;
      if (itemId === FREE_SLOT) {
        free.push(slot);
        continue;
      }
      checkId('item', itemId);
      if (this.slotOf.has(itemId)) throw new Error(`item ${itemId} appears twice in the image`);
      this.slotOf.set(itemId, slot);
    }
    this.free = free.reverse(); // pop() reuses the lowest free slot first
    this.next = ids.length;
  }
}
