/**
 * "Seen in this search?" per slot without clearing anything between searches: a slot is
 * seen when its stamp equals the current epoch.
 */
export class Stamps {
  private marks = new Uint32Array(1024);
  private epoch = 0;

  /** Starts a new search; every slot becomes unseen. */
  next(): this {
    if (++this.epoch === 0xffffffff) {
      this.marks.fill(0);
      this.epoch = 1;
    }
    return this;
  }

  /** True the first time a slot is offered in the current search. */
  first(slot: number): boolean {
    if (slot >= this.marks.length) {
      const grown = new Uint32Array(Math.max(this.marks.length * 2, slot + 1));
      grown.set(this.marks);
      this.marks = grown;
    }
    if (this.marks[slot] === this.epoch) return false;
    this.marks[slot] = this.epoch;
    return true;
  }
}
