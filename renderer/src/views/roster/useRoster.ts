import { ElMessage, ElMessageBox } from 'element-plus';
import { computed, onMounted, reactive, ref } from 'vue';
import type { RosterChoices, RosterFilter, SeatRow } from '@shared/contract/index';
import { LEVEL_LABELS, LEVELS, SEAT_STATUS_LABELS, type Level, type SeatStatus } from '@shared/dictionaries';
import { call, showError } from '@/api/client';

type StatusFilter = NonNullable<RosterFilter['status']>;

export const STATUS_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: 'active', label: '在任（含暂停）' },
  { value: 'current', label: SEAT_STATUS_LABELS.current },
  { value: 'suspended', label: SEAT_STATUS_LABELS.suspended },
  { value: 'ended', label: SEAT_STATUS_LABELS.ended },
  { value: 'all', label: '全部' },
];
export const LEVEL_OPTIONS = LEVELS.map((value) => ({ value, label: LEVEL_LABELS[value] }));
export const PAGE_SIZES = [20, 50, 100];

const STATUS_TAG: Record<SeatStatus, 'success' | 'warning' | 'info'> = {
  current: 'success',
  suspended: 'warning',
  ended: 'info',
};

export const levelLabel = (level: Level) => LEVEL_LABELS[level];
export const statusLabel = (status: SeatStatus) => SEAT_STATUS_LABELS[status];
export const statusTag = (status: SeatStatus) => STATUS_TAG[status];

interface Filters {
  q: string;
  level: Level | '';
  township: string;
  term: string;
  status: StatusFilter;
}

const emptyFilters = (): Filters => ({ q: '', level: '', township: '', term: '', status: 'active' });

export function useRoster() {
  const filters = reactive<Filters>(emptyFilters());
  const page = ref(1);
  const pageSize = ref(PAGE_SIZES[0]!);
  const rows = ref<SeatRow[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const choices = ref<RosterChoices>({ townships: [], terms: [] });

  const formVisible = ref(false);
  const editingSeatId = ref<string | null>(null);
  const detailVisible = ref(false);
  const detailSeatId = ref<string | null>(null);

  const filtered = computed(
    () => !!(filters.q.trim() || filters.level || filters.township || filters.term || filters.status !== 'active'),
  );
  const emptyText = computed(() =>
    filtered.value ? '没有符合条件的代表，请调整或重置筛选条件' : '暂无代表，点击“新增代表”开始登记',
  );

  async function load() {
    loading.value = true;
    try {
      const result = await call('roster.list', {
        q: filters.q.trim() || undefined,
        level: filters.level || undefined,
        township: filters.township || undefined,
        term: filters.term || undefined,
        status: filters.status,
        page: page.value,
        pageSize: pageSize.value,
      });
      // A deletion can empty the last page; step back rather than show nothing.
      if (result.rows.length === 0 && result.total > 0 && page.value > 1) {
        page.value = Math.ceil(result.total / pageSize.value);
        return load();
      }
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
      choices.value = await call('roster.choices', {});
    } catch (err) {
      showError(err);
    }
  }

  function search() {
    page.value = 1;
    void load();
  }

  function reset() {
    Object.assign(filters, emptyFilters());
    search();
  }

  function onSizeChange() {
    page.value = 1;
    void load();
  }

  function openCreate() {
    editingSeatId.value = null;
    formVisible.value = true;
  }

  function openEdit(seatId: string) {
    editingSeatId.value = seatId;
    detailVisible.value = false;
    formVisible.value = true;
  }

  function openDetail(seatId: string) {
    detailSeatId.value = seatId;
    detailVisible.value = true;
  }

  async function onSaved() {
    await Promise.all([load(), loadChoices()]);
  }

  async function remove(row: SeatRow) {
    try {
      await ElMessageBox.confirm(
        `确定删除代表“${row.name}”的${row.term}${LEVEL_LABELS[row.level]}人大代表席位吗？删除后将不再出现在名册中，删除记录会保留备查。`,
        '删除代表',
        { type: 'warning', confirmButtonText: '确定删除', cancelButtonText: '取消', confirmButtonClass: 'el-button--danger' },
      );
    } catch {
      return; // cancelled
    }
    try {
      await call('roster.remove', { seatId: row.seatId });
      ElMessage.success(`已删除代表“${row.name}”`);
      await onSaved();
    } catch (err) {
      showError(err);
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
    choices,
    filtered,
    emptyText,
    formVisible,
    editingSeatId,
    detailVisible,
    detailSeatId,
    load,
    search,
    reset,
    onSizeChange,
    openCreate,
    openEdit,
    openDetail,
    onSaved,
    remove,
  };
}
