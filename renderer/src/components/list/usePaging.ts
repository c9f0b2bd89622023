import { ref } from 'vue';

/** The page sizes every paged list offers. */
export const PAGE_SIZES = [20, 50, 100];

/**
 * Paging of a list that is filtered and paged in SQL. `search` goes back to
 * page 1 and loads: for new filters and for a new page size alike.
 */
export function usePaging(load: () => unknown) {
  const page = ref(1);
  const pageSize = ref(PAGE_SIZES[0]!);
  function search() {
    page.value = 1;
    return load();
  }
  return { page, pageSize, search };
}
