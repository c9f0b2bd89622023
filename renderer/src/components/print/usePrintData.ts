import { onMounted, ref, shallowRef } from 'vue';
import { errorMessage } from '@/api/client';

/**
 * Loads what a print view shows and names the browser tab after it (the name
 * a saved PDF gets). A failure is kept as a message for the page to show.
 */
export function usePrintData<T>(load: () => Promise<T>, title: (data: T) => string | null) {
  const data = shallowRef<T | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(true);

  onMounted(async () => {
    try {
      data.value = await load();
      const name = title(data.value);
      if (name) document.title = name;
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  });

  return { data, error, loading };
}
