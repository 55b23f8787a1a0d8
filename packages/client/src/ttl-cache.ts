// A bounded map whose entries expire after a fixed time. Used for the dentry and attribute
// caches: short TTLs keep other clients' changes visible within a second; this client's own
// mutations update or delete entries directly. Bounded: past `entriesMax` the oldest insertions go.
export class TtlCache<K, V> {
  private readonly map = new Map<K, { value: V; expiresMs: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly entriesMax: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.expiresMs <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: K, value: V): void {
    if (this.ttlMs <= 0) return;
    this.map.delete(key);
    this.map.set(key, { value, expiresMs: this.now() + this.ttlMs });
    while (this.map.size > this.entriesMax) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.map.delete(oldest.value);
    }
  }

  /** Replaces a live entry's value without extending its life (a local edit of cached data). */
  update(key: K, f: (value: V) => V): void {
    const e = this.map.get(key);
    if (!e || e.expiresMs <= this.now()) return;
    e.value = f(e.value);
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
