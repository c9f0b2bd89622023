import { ElMessage } from 'element-plus';
import { computed, onMounted, reactive, ref } from 'vue';
import type { AuditChoices, AuditFilter, AuditRow } from '@shared/contract/index';
import { call, showError } from '@/api/client';
import { saveFile } from '@/components/files/saveFile';
import { usePaging } from '@/components/list/usePaging';

interface Filters {
  /** [from, to] as YYYY-MM-DD, or null. */
  dates: [string, string] | null;
  action: string;
  operator: string;
  entity: string;
  q: string;
  /** One record (set from a row's “只看此记录”). */
  entityId: string;
  recordLabel: string;
}

const empty = (): Filters => ({ dates: null, action: '', operator: '', entity: '', q: '', entityId: '', recordLabel: '' });

export function useAudit() {
  const filters = reactive<Filters>(empty());
  const { page, pageSize, search } = usePaging(load);
  const rows = ref<AuditRow[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const exporting = ref(false);
  const choices = ref<AuditChoices>({ operators: [], actions: [], entities: [] });

  const filtered = computed(
    () => !!(filters.dates || filters.action || filters.operator || filters.entity || filters.q.trim() || filters.entityId),
  );

  function query(): AuditFilter {
    return {
      from: filters.dates?.[0] || undefined,
      to: filters.dates?.[1] || undefined,
      action: filters.action || undefined,
      operator: filters.operator || undefined,
      entity: filters.entity || undefined,
      entityId: filters.entityId || undefined,
      q: filters.q.trim() || undefined,
    };
  }

  async function load() {
    loading.value = true;
    try {
      const result = await call('audit.list', { ...query(), page: page.value, pageSize: pageSize.value });
      rows.value = result.rows;
      total.value = result.total;
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }

  async function loadChoices() {
    try {
      choices.value = await call('audit.choices', {});
    } catch (err) {
      showError(err);
    }
  }

  function reset() {
    Object.assign(filters, empty());
    search();
  }

  function onlyRecord(row: AuditRow) {
    if (!row.entityId) return;
    filters.entityId = row.entityId;
    filters.entity = row.entity ?? '';
    filters.recordLabel = `${row.entityLabel}：${row.record ?? row.entityId}`;
    search();
  }

  function clearRecord() {
    filters.entityId = '';
    filters.recordLabel = '';
    search();
  }

  async function exportExcel() {
    exporting.value = true;
    try {
      saveFile(await call('audit.export', query()));
      ElMessage.success('已导出操作日志');
      void loadChoices();
    } catch (err) {
      showError(err);
    } finally {
      exporting.value = false;
    }
  }

  onMounted(() => {
    void load();
    void loadChoices();
  });

  return {
    filters,
    page,
    pageSize,
    rows,
    total,
    loading,
    exporting,
    choices,
    filtered,
    load,
    search,
    reset,
    onlyRecord,
    clearRecord,
    exportExcel,
  };
}
