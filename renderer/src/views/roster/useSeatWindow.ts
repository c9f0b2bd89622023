import { ref, shallowRef } from 'vue';
import type { InputOf, SeatRow } from '@shared/contract/index';
import { call, showError } from '@/api/client';

type ListFilter = Omit<InputOf<'roster.list'>, 'page' | 'pageSize'>;

/** Rows fetched per request: one page of the SQL query. */
export const BLOCK = 200;
/** Blocks kept in memory (~2,400 rows); the rest are dropped and fetched again when scrolled back to. */
const MAX_BLOCKS = 12;

/**
 * The roster's rows as a window over the SQL result: blocks of 200 are
 * fetched by offset when the table scrolls to them and the farthest ones are
 * evicted, so 140,000 seats never sit in memory. `rowAt(i)` is undefined
 * while its block is on the way.
 */
export function useSeatWindow(filter: () => ListFilter) {
  const total = ref(0);
  /** False until the first block of the current filter has arrived. */
  const ready = ref(false);
  const loading = ref(false);
  /** Bumped when blocks arrive or leave, so rows re-render (the cache itself is not reactive). */
  const version = shallowRef(0);

  let blocks = new Map<number, SeatRow[]>();
  /** After a refresh, the old rows stay on screen until their fresh copies arrive (no flicker). */
  let stale = new Map<number, SeatRow[]>();
  let pending = new Set<number>();
  let generation = 0;
  let visible: [number, number] = [0, 0];

  async function fetchBlock(block: number) {
    if (blocks.has(block) || pending.has(block)) return;
    const gen = generation;
    pending.add(block);
    loading.value = true;
    try {
      const page = await call('roster.list', { ...filter(), page: block + 1, pageSize: BLOCK });
      if (gen !== generation) return;
      blocks.set(block, page.rows);
      // Someone else's change can move the total under us; the table simply grows or shrinks.
      total.value = page.total;
      ready.value = true;
      evict();
      version.value++;
    } catch (err) {
      if (gen === generation) showError(err);
    } finally {
      if (gen === generation) {
        pending.delete(block);
        loading.value = pending.size > 0;
      }
    }
  }

  /** Keeps the blocks nearest the visible rows. */
  function evict() {
    if (blocks.size <= MAX_BLOCKS) return;
    const centre = (visible[0] + visible[1]) / 2 / BLOCK;
    const far = [...blocks.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
    for (const block of far.slice(0, blocks.size - MAX_BLOCKS)) blocks.delete(block);
  }

  /** The table shows rows [start, end); fetch what is missing. */
  function show(start: number, end: number) {
    visible = [start, end];
    if (!ready.value) return;
    const last = Math.max(0, Math.min(end, total.value) - 1);
    for (let b = Math.floor(start / BLOCK); b <= Math.floor(last / BLOCK); b++) void fetchBlock(b);
  }

  function rowAt(index: number): SeatRow | undefined {
    void version.value;
    const block = Math.floor(index / BLOCK);
    return (blocks.get(block) ?? stale.get(block))?.[index % BLOCK];
  }

  /** New filter: start over from the top. */
  async function reset() {
    generation++;
    blocks = new Map();
    stale = new Map();
    pending = new Set();
    ready.value = false;
    version.value++;
    await fetchBlock(0);
    if (!ready.value) loading.value = false;
  }

  /** Same filter, changed data (a save or a lifecycle action): refetch what is on screen, keep the place. */
  async function refresh() {
    generation++;
    stale = blocks;
    blocks = new Map();
    pending = new Set();
    const [start, end] = visible;
    const first = Math.floor(start / BLOCK);
    await fetchBlock(first);
    show(start, end);
  }

  /** How many rows are held in memory (shown on the table for tests and the curious). */
  function cachedRows(): number {
    void version.value;
    let n = 0;
    for (const rows of blocks.values()) n += rows.length;
    return n;
  }

  return { total, ready, loading, version, show, rowAt, reset, refresh, cachedRows };
}
