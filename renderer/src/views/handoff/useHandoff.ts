import { onMounted, ref } from 'vue';
import type { HandoffOverview } from '@shared/contract/index';
import { call, showError } from '@/api/client';

/** 数据交换: the overview every tab reads (own fingerprint, paired offices, open conflicts). */
export function useHandoff() {
  const overview = ref<HandoffOverview | null>(null);
  const loading = ref(false);
  const tab = ref<'export' | 'import' | 'pairing' | 'history'>('export');

  async function load() {
    loading.value = true;
    try {
      overview.value = await call('handoff.overview', {});
      if (overview.value.peers.length === 0) tab.value = 'pairing';
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }

  onMounted(load);
  return { overview, loading, tab, load };
}
