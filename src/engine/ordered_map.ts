// An ordered map from byte-string keys to values: a B+tree with copy-on-write
// snapshots. The memory engine keeps its whole keyspace in one (a million
// keys with O(log n) point operations and range scans that touch only the
// leaves they return); the write buffer keeps a transaction's pending writes
// in another.
//
// Snapshots are what make the memory engine behave like FoundationDB: a
// transaction reads the tree as it was at its read version while later
// commits change the map. Taking a snapshot is O(1): it shares every node and
// bumps an epoch, so the next writes copy the nodes on their path (once per
// node per epoch) instead of changing shared ones. A map that never hands out
// a snapshot changes its nodes in place.
//
// Leaves have no sibling links (they cannot, with path copying); scans walk
// down from the root once and then sideways through the recursion.
import type { Bytes, KeyRange, RangeOptions } from "./contract.ts";
import { compareBytes, lowerBound } from "./bytes.ts";

/** One entry of a scan. */
export interface Entry<V> {
  readonly key: Bytes;
  readonly value: V;
}

// 64 entries per node keeps a million keys four levels deep, and a node's
// splice stays within a cache-friendly few hundred bytes of pointers.
const MAX_ENTRIES = 64;
// Merging only below a quarter keeps alternating inserts and deletes at a
// boundary from splitting and merging the same node over and over.
const MIN_ENTRIES = 16;

const NO_KEY = new Uint8Array(0);

class Leaf<V> {
  constructor(
    public epoch: number,
    public keys: Bytes[],
    public values: V[],
  ) {}
}

// keys[i] (i >= 1) is a lower bound of every key under children[i] and above
// every key under children[i - 1]. keys[0] is carried along for when the
// branch is split or merged, but never compared.
class Branch<V> {
  constructor(
    public epoch: number,
    public keys: Bytes[],
    public children: Node<V>[],
  ) {}
}

type Node<V> = Leaf<V> | Branch<V>;

function nodeSize<V>(node: Node<V>): number {
  return node instanceof Leaf ? node.keys.length : node.children.length;
}

/** Index of the child of `branch` whose key range holds `key`. */
function childIndex<V>(branch: Branch<V>, key: Bytes): number {
  const keys = branch.keys;
  let lo = 1;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(keys[mid]!, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function countEntries<V>(node: Node<V>): number {
  if (node instanceof Leaf) return node.keys.length;
  let n = 0;
  for (const child of node.children) n += countEntries(child);
  return n;
}

function getIn<V>(root: Node<V>, key: Bytes): V | undefined {
  let node = root;
  while (node instanceof Branch) node = node.children[childIndex(node, key)]!;
  const keys = node.keys;
  const i = lowerBound(keys, key);
  if (i < keys.length && compareBytes(keys[i]!, key) === 0) return node.values[i];
  return undefined;
}

// Scans return true once they should stop: the limit is reached or a key at
// or past the far bound was seen.
function scanForward<V>(node: Node<V>, range: KeyRange, limit: number, out: Entry<V>[]): boolean {
  if (node instanceof Leaf) {
    const keys = node.keys;
    const values = node.values;
    for (let i = lowerBound(keys, range.start); i < keys.length; i++) {
      const key = keys[i]!;
      if (compareBytes(key, range.end) >= 0) return true;
      out.push({ key, value: values[i]! });
      if (out.length === limit) return true;
    }
    return false;
  }
  const children = node.children;
  const keys = node.keys;
  for (let c = childIndex(node, range.start); c < children.length; c++) {
    if (c > 0 && compareBytes(keys[c]!, range.end) >= 0) return true;
    if (scanForward(children[c]!, range, limit, out)) return true;
  }
  return false;
}

function scanReverse<V>(node: Node<V>, range: KeyRange, limit: number, out: Entry<V>[]): boolean {
  if (node instanceof Leaf) {
    const keys = node.keys;
    const values = node.values;
    for (let i = lowerBound(keys, range.end) - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (compareBytes(key, range.start) < 0) return true;
      out.push({ key, value: values[i]! });
      if (out.length === limit) return true;
    }
    return false;
  }
  const children = node.children;
  const keys = node.keys;
  for (let c = childIndex(node, range.end); c >= 0; c--) {
    if (scanReverse(children[c]!, range, limit, out)) return true;
    // Everything further left sorts before this child's lower bound.
    if (c > 0 && compareBytes(keys[c]!, range.start) <= 0) return true;
  }
  return false;
}

function forEachIn<V>(node: Node<V>, fn: (key: Bytes, value: V) => void): void {
  if (node instanceof Leaf) {
    for (let i = 0; i < node.keys.length; i++) fn(node.keys[i]!, node.values[i]!);
    return;
  }
  for (const child of node.children) forEachIn(child, fn);
}

function scanIn<V>(root: Node<V>, range: KeyRange, options: RangeOptions | undefined): Entry<V>[] {
  const out: Entry<V>[] = [];
  if (compareBytes(range.start, range.end) >= 0) return out;
  const limit = options?.limit !== undefined && options.limit > 0 ? options.limit : -1;
  if (options?.reverse === true) scanReverse(root, range, limit, out);
  else scanForward(root, range, limit, out);
  return out;
}

/** A read-only view of an OrderedMap as it was when the snapshot was taken. */
export class OrderedSnapshot<V> {
  /** @internal */
  constructor(
    private readonly root: Node<V>,
    readonly size: number,
  ) {}

  get(key: Bytes): V | undefined {
    return getIn(this.root, key);
  }

  /** Entries of `[start, end)` in key order (or reverse), at most `limit` (0: all). */
  scan(range: KeyRange, options?: RangeOptions): Entry<V>[] {
    return scanIn(this.root, range, options);
  }
}

export class OrderedMap<V> {
  private root: Node<V>;
  /** Nodes stamped with this epoch belong to no snapshot and may change in place. */
  private epoch = 0;
  /** The snapshot sharing the current nodes, if one was taken since the last write. */
  private shared: OrderedSnapshot<V> | null = null;
  private count = 0;

  constructor() {
    this.root = new Leaf<V>(0, [], []);
  }

  get size(): number {
    return this.count;
  }

  get(key: Bytes): V | undefined {
    return getIn(this.root, key);
  }

  scan(range: KeyRange, options?: RangeOptions): Entry<V>[] {
    return scanIn(this.root, range, options);
  }

  /** Calls `fn` for every entry in key order (no entry objects allocated). */
  forEach(fn: (key: Bytes, value: V) => void): void {
    forEachIn(this.root, fn);
  }

  /** An O(1) frozen view; later writes to the map do not show through it. */
  snapshot(): OrderedSnapshot<V> {
    if (this.shared === null) this.shared = new OrderedSnapshot(this.root, this.count);
    return this.shared;
  }

  set(key: Bytes, value: V): void {
    this.beginWrite();
    const root = this.own(this.root);
    const split = this.insert(root, key, value);
    if (split === null) {
      this.root = root;
    } else {
      this.root = new Branch<V>(this.epoch, [NO_KEY, split.keys[0]!], [root, split]);
    }
  }

  /** Removes `key`; true when it was present. */
  delete(key: Bytes): boolean {
    // Looking first keeps a miss from copying the path under a snapshot.
    if (getIn(this.root, key) === undefined && !this.hasExactKey(key)) return false;
    this.beginWrite();
    const root = this.own(this.root);
    this.remove(root, key);
    this.root = this.collapse(root);
    return true;
  }

  /** Removes every key of `[start, end)`; returns how many there were. */
  deleteRange(range: KeyRange): number {
    if (compareBytes(range.start, range.end) >= 0) return 0;
    if (scanIn(this.root, range, { limit: 1 }).length === 0) return 0;
    this.beginWrite();
    const root = this.own(this.root);
    const removed = this.removeRange(root, range);
    this.count -= removed;
    this.root = this.collapse(root);
    return removed;
  }

  /** Removes everything. */
  clear(): void {
    this.beginWrite();
    this.root = new Leaf<V>(this.epoch, [], []);
    this.count = 0;
  }

  // A value of undefined is legal for V, so a miss from getIn is checked again.
  private hasExactKey(key: Bytes): boolean {
    let node = this.root;
    while (node instanceof Branch) node = node.children[childIndex(node, key)]!;
    const i = lowerBound(node.keys, key);
    return i < node.keys.length && compareBytes(node.keys[i]!, key) === 0;
  }

  private beginWrite(): void {
    if (this.shared !== null) {
      this.shared = null;
      this.epoch++;
    }
  }

  private own<N extends Node<V>>(node: N): N {
    if (node.epoch === this.epoch) return node;
    if (node instanceof Leaf) return new Leaf<V>(this.epoch, node.keys.slice(), node.values.slice()) as N;
    return new Branch<V>(this.epoch, node.keys.slice(), (node as Branch<V>).children.slice()) as N;
  }

  private ownChild(branch: Branch<V>, i: number): Node<V> {
    const child = this.own(branch.children[i]!);
    branch.children[i] = child;
    return child;
  }

  /** Inserts under an owned node; returns the new right sibling when it split. */
  private insert(node: Node<V>, key: Bytes, value: V): Node<V> | null {
    if (node instanceof Leaf) {
      const keys = node.keys;
      const i = lowerBound(keys, key);
      if (i < keys.length && compareBytes(keys[i]!, key) === 0) {
        node.values[i] = value;
        return null;
      }
      keys.splice(i, 0, key);
      node.values.splice(i, 0, value);
      this.count++;
      if (keys.length <= MAX_ENTRIES) return null;
      const mid = keys.length >>> 1;
      return new Leaf<V>(this.epoch, keys.splice(mid), node.values.splice(mid));
    }
    const ci = childIndex(node, key);
    const split = this.insert(this.ownChild(node, ci), key, value);
    if (split === null) return null;
    node.children.splice(ci + 1, 0, split);
    node.keys.splice(ci + 1, 0, split.keys[0]!);
    if (node.children.length <= MAX_ENTRIES) return null;
    const mid = node.children.length >>> 1;
    return new Branch<V>(this.epoch, node.keys.splice(mid), node.children.splice(mid));
  }

  private remove(node: Node<V>, key: Bytes): void {
    if (node instanceof Leaf) {
      const i = lowerBound(node.keys, key);
      if (i < node.keys.length && compareBytes(node.keys[i]!, key) === 0) {
        node.keys.splice(i, 1);
        node.values.splice(i, 1);
        this.count--;
      }
      return;
    }
    const ci = childIndex(node, key);
    this.remove(this.ownChild(node, ci), key);
    this.rebalance(node, ci);
  }

  private removeRange(node: Node<V>, range: KeyRange): number {
    if (node instanceof Leaf) {
      const i = lowerBound(node.keys, range.start);
      const j = lowerBound(node.keys, range.end);
      if (j <= i) return 0;
      node.keys.splice(i, j - i);
      node.values.splice(i, j - i);
      return j - i;
    }
    const ci = childIndex(node, range.start);
    let cj = childIndex(node, range.end);
    // A child whose lower bound is `end` holds nothing below `end`.
    if (cj > ci && compareBytes(node.keys[cj]!, range.end) === 0) cj--;
    let removed = this.removeRange(this.ownChild(node, ci), range);
    if (cj === ci) {
      this.rebalance(node, ci);
      return removed;
    }
    removed += this.removeRange(this.ownChild(node, cj), range);
    // Children strictly between the two boundary children lie wholly inside the range.
    for (let c = ci + 1; c < cj; c++) removed += countEntries(node.children[c]!);
    if (cj > ci + 1) {
      node.children.splice(ci + 1, cj - ci - 1);
      node.keys.splice(ci + 1, cj - ci - 1);
    }
    // Right one first, so fixing it cannot move the left one's index.
    this.rebalance(node, ci + 1);
    this.rebalance(node, Math.min(ci, node.children.length - 1));
    return removed;
  }

  /** Restores the fill of `branch.children[i]` after removals, merging or borrowing. */
  private rebalance(branch: Branch<V>, i: number): void {
    const children = branch.children;
    for (;;) {
      if (i >= children.length) return;
      const child = children[i]!;
      const size = nodeSize(child);
      if (size >= MIN_ENTRIES || children.length === 1) {
        if (size === 0 && children.length > 1) this.dropChild(branch, i);
        return;
      }
      if (size === 0) {
        this.dropChild(branch, i);
        return;
      }
      const left = i + 1 < children.length ? i : i - 1;
      const a = this.ownChild(branch, left);
      const b = this.ownChild(branch, left + 1);
      if (nodeSize(a) + nodeSize(b) <= MAX_ENTRIES) {
        this.merge(branch, left, a, b);
        i = left;
        continue;
      }
      this.share(branch, left, a, b);
      return;
    }
  }

  private dropChild(branch: Branch<V>, i: number): void {
    branch.children.splice(i, 1);
    branch.keys.splice(i, 1);
  }

  /** Moves everything of `b` (children[left + 1]) into `a` (children[left]). */
  private merge(branch: Branch<V>, left: number, a: Node<V>, b: Node<V>): void {
    if (a instanceof Leaf) {
      const leafB = b as Leaf<V>;
      for (let k = 0; k < leafB.keys.length; k++) {
        a.keys.push(leafB.keys[k]!);
        a.values.push(leafB.values[k]!);
      }
    } else {
      const branchB = b as Branch<V>;
      // b's own keys[0] is a placeholder; the parent's separator is its real bound.
      a.keys.push(branch.keys[left + 1]!);
      a.children.push(branchB.children[0]!);
      for (let k = 1; k < branchB.children.length; k++) {
        a.keys.push(branchB.keys[k]!);
        a.children.push(branchB.children[k]!);
      }
    }
    this.dropChild(branch, left + 1);
  }

  /** Evens out two neighbours that together are too big to merge. */
  private share(branch: Branch<V>, left: number, a: Node<V>, b: Node<V>): void {
    const total = nodeSize(a) + nodeSize(b);
    const target = total >>> 1;
    if (a instanceof Leaf) {
      const leafB = b as Leaf<V>;
      if (a.keys.length < target) {
        const n = target - a.keys.length;
        a.keys.push(...leafB.keys.splice(0, n));
        a.values.push(...leafB.values.splice(0, n));
      } else {
        const n = a.keys.length - target;
        leafB.keys.unshift(...a.keys.splice(target, n));
        leafB.values.unshift(...a.values.splice(target, n));
      }
      branch.keys[left + 1] = leafB.keys[0]!;
      return;
    }
    const branchB = b as Branch<V>;
    // Treat the parent separator as b's first key while moving children across.
    branchB.keys[0] = branch.keys[left + 1]!;
    if (a.children.length < target) {
      const n = target - a.children.length;
      a.keys.push(...branchB.keys.splice(0, n));
      a.children.push(...branchB.children.splice(0, n));
    } else {
      const n = a.children.length - target;
      branchB.keys.unshift(...a.keys.splice(target, n));
      branchB.children.unshift(...a.children.splice(target, n));
    }
    branch.keys[left + 1] = branchB.keys[0]!;
  }

  /** A root branch with one child gives way to that child. */
  private collapse(root: Node<V>): Node<V> {
    let node = root;
    while (node instanceof Branch && node.children.length <= 1) {
      node = node.children.length === 1 ? node.children[0]! : new Leaf<V>(this.epoch, [], []);
    }
    return node;
  }
}
