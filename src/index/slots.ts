/**
 * Dense slot numbers for item ids, reused after removal, so per-item data can live in flat
 * typed arrays indexed by slot instead of per-item objects.
 */
export class SlotMap {
  private readonly slotOf = new Map<number, number>();
  private itemOf = new Int32Array(1024);
  private readonly free: number[] = [];
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
}
