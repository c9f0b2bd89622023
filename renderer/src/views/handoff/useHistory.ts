import { onMounted, reactive, ref } from 'vue';
import type { HandoffHistoryDetail, HandoffHistoryRow } from '@shared/contract/index';
import { call, showError } from '@/api/client';

/** 交换记录: every package written or applied here, newest first, with its report. */
export function useHistory() {
  const rows = ref<HandoffHistoryRow[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const query = reactive({ page: 1, pageSize: 20, direction: '' as '' | 'export' | 'import' });
  const detail = ref<HandoffHistoryDetail | null>(null);

  async function load() {
    loading.value = true;
    try {
      const page = await call('handoff.history', { page: query.page, pageSize: query.pageSize, direction: query.direction || undefined });
      rows.value = page.rows;
      total.value = page.total;
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }

  async function open(row: HandoffHistoryRow) {
    try {
      detail.value = await call('handoff.historyGet', { id: row.id });
    } catch (err) {
      showError(err);
    }
  }

  onMounted(load);
  return { rows, total, loading, query, detail, load, open };
}
