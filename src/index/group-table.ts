/**
 * Which slots each group holds, as a dense per-group row list (row -> slot) so a search scans
 * a group's rows contiguously. Removing a member moves the group's last row into the hole,
 * so every slot records its row in each of its groups; observers (the quantised index keeps a
 * code block per group in the same row order) are told about every append, move and drop.
 *
 * Most items are in exactly one group, so a slot's first (group, row) pair lives in flat
 * typed arrays and only further pairs go to a map: at 1M items that saves ~60 MB of small
 * arrays.
 */

export interface GroupRows {
  /** Row -> slot; only the first `count` entries are meaningful. */
  readonly slots: Int32Array;
  readonly count: number;
}

export interface RowObserver {
  /** Row `row` of the group was appended for `slot`. */
  appended(groupId: number, row: number, slot: number): void;
  /** The group's row `from` (its last) was moved to row `to`. */
  moved(groupId: number, from: number, to: number): void;
  /** The group lost its last row or was dropped; it no longer exists. */
  deleted(groupId: number): void;
}

interface Group {
  slots: Int32Array;
  count: number;
}

const NONE = -1;

export class GroupTable {
  private readonly groups = new Map<number, Group>();
  private firstGroup = new Int32Array(0);
  private firstRow = new Int32Array(0);
  private readonly more = new Map<number, number[]>(); // slot -> [group, row, group, row, ...]

  constructor(private readonly observer?: RowObserver) {}

  rows(groupId: number): GroupRows | undefined {
    return this.groups.get(groupId);
  }

  size(groupId: number): number {
    return this.groups.get(groupId)?.count ?? 0;
  }

  groupsOf(slot: number): number[] {
    if (slot >= this.firstGroup.length || this.firstGroup[slot] === NONE) return [];
    const out = [this.firstGroup[slot]!];
    const extra = this.more.get(slot);
    if (extra) for (let i = 0; i < extra.length; i += 2) out.push(extra[i]!);
    return out;
  }

  contains(slot: number, groupId: number): boolean {
    return this.rowOf(slot, groupId) !== NONE;
  }

  /** Makes the slot's groups exactly `groupIds` (distinct), touching only what changes. */
  assign(slot: number, groupIds: readonly number[]): void {
    this.ensureSlot(slot);
    for (const g of this.groupsOf(slot)) if (!groupIds.includes(g)) this.leave(slot, g);
    for (const g of groupIds) if (!this.contains(slot, g)) this.join(slot, g);
  }

  clear(slot: number): void {
    for (const g of this.groupsOf(slot)) this.leave(slot, g);
  }

  /** Deletes the group; returns its former member slots. */
  drop(groupId: number): Int32Array {
    const group = this.groups.get(groupId);
    if (!group) return new Int32Array(0);
    const members = group.slots.slice(0, group.count);
    for (const slot of members) this.forget(slot, groupId);
    this.groups.delete(groupId);
    this.observer?.deleted(groupId);
    return members;
  }

  private join(slot: number, groupId: number): void {
    let group = this.groups.get(groupId);
    if (!group) {
      group = { slots: new Int32Array(4), count: 0 };
      this.groups.set(groupId, group);
    }
    if (group.count === group.slots.length) {
      const grown = new Int32Array(group.slots.length * 2);
      grown.set(group.slots);
      group.slots = grown;
    }
    const row = group.count++;
    group.slots[row] = slot;
    this.remember(slot, groupId, row);
    this.observer?.appended(groupId, row, slot);
  }

  private leave(slot: number, groupId: number): void {
    const group = this.groups.get(groupId)!;
    const row = this.rowOf(slot, groupId);
    this.forget(slot, groupId);
    const last = --group.count;
    if (last === 0) {
      this.groups.delete(groupId);
      this.observer?.deleted(groupId);
      return;
    }
    if (row !== last) {
      const moved = group.slots[last]!;
      group.slots[row] = moved;
      this.setRow(moved, groupId, row);
      this.observer?.moved(groupId, last, row);
    }
  }

  private ensureSlot(slot: number): void {
    if (slot < this.firstGroup.length) return;
    const length = Math.max(1024, this.firstGroup.length * 2, slot + 1);
    const groups = new Int32Array(length).fill(NONE);
    groups.set(this.firstGroup);
    const rows = new Int32Array(length);
    rows.set(this.firstRow);
    this.firstGroup = groups;
    this.firstRow = rows;
  }

  private rowOf(slot: number, groupId: number): number {
    if (slot >= this.firstGroup.length) return NONE;
    if (this.firstGroup[slot] === groupId) return this.firstRow[slot]!;
    const extra = this.more.get(slot);
    const at = extra ? pairIndex(extra, groupId) : NONE;
    return at === NONE ? NONE : extra![at + 1]!;
  }

  private setRow(slot: number, groupId: number, row: number): void {
    if (this.firstGroup[slot] === groupId) {
      this.firstRow[slot] = row;
      return;
    }
    const extra = this.more.get(slot)!;
    extra[pairIndex(extra, groupId) + 1] = row;
  }

  private remember(slot: number, groupId: number, row: number): void {
    if (this.firstGroup[slot] === NONE) {
      this.firstGroup[slot] = groupId;
      this.firstRow[slot] = row;
      return;
    }
    const extra = this.more.get(slot);
    if (extra) extra.push(groupId, row);
    else this.more.set(slot, [groupId, row]);
  }

  private forget(slot: number, groupId: number): void {
    const extra = this.more.get(slot);
    if (this.firstGroup[slot] === groupId) {
      if (extra) {
        this.firstRow[slot] = extra.pop()!;
        this.firstGroup[slot] = extra.pop()!;
        if (extra.length === 0) this.more.delete(slot);
      } else {
        this.firstGroup[slot] = NONE;
      }
      return;
    }
    if (!extra) return;
    const at = pairIndex(extra, groupId);
    extra[at] = extra[extra.length - 2]!;
    extra[at + 1] = extra[extra.length - 1]!;
    extra.length -= 2;
    if (extra.length === 0) this.more.delete(slot);
  }
}

/** Position of the group in a [group, row, ...] list (only even positions hold groups). */
function pairIndex(pairs: number[], groupId: number): number {
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === groupId) return i;
  return NONE;
}
