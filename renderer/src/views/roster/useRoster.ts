import { ElMessage, ElMessageBox } from 'element-plus';
import { computed, onMounted, reactive, ref } from 'vue';
import type { RosterChoices, RosterFilter, SeatRow } from '@shared/contract/index';
import { LEVEL_LABELS, LEVELS, SEAT_STATUS_LABELS, type Level } from '@shared/dictionaries';
import { call, showError } from '@/api/client';
import { useSeatWindow } from './useSeatWindow';

type StatusFilter = NonNullable<RosterFilter['status']>;

export const STATUS_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: 'active', label: '在任（含暂停）' },
  { value: 'current', label: SEAT_STATUS_LABELS.current },
  { value: 'suspended', label: SEAT_STATUS_LABELS.suspended },
  { value: 'ended', label: SEAT_STATUS_LABELS.ended },
  { value: 'all', label: '全部' },
];
export const LEVEL_OPTIONS = LEVELS.map((value) => ({ value, label: LEVEL_LABELS[value] }));

export interface RosterFilters {
  q: string;
  level: Level | '';
  township: string;
  term: string;
  groupId: string | null;
  stationId: string | null;
  status: StatusFilter;
}

const emptyFilters = (): RosterFilters => ({ q: '', level: '', township: '', term: '', groupId: null, stationId: null, status: 'active' });

export function useRoster(onReset: () => void) {
  const filters = reactive<RosterFilters>(emptyFilters());
  const choices = ref<RosterChoices>({ townships: [], terms: [] });
  const rows = useSeatWindow(() => ({
    q: filters.q.trim() || undefined,
    level: filters.level || undefined,
    township: filters.township || undefined,
    term: filters.term || undefined,
    groupId: filters.groupId || undefined,
    stationId: filters.stationId || undefined,
    status: filters.status,
  }));

  const formVisible = ref(false);
  const editingSeatId = ref<string | null>(null);
  const detailVisible = ref(false);
  const detailSeatId = ref<string | null>(null);

  const filtered = computed(
    () =>
      !!(filters.q.trim() || filters.level || filters.township || filters.term || filters.groupId || filters.stationId) ||
      filters.status !== 'active',
  );
  const emptyText = computed(() =>
    filtered.value ? '没有符合条件的代表，请调整或重置筛选条件' : '暂无代表，点击“新增代表”开始登记',
  );

  async function loadChoices() {
    try {
      choices.value = await call('roster.choices', {});
    } catch (err) {
      showError(err);
    }
  }

  function search() {
    onReset();
    void rows.reset();
  }

  function reset() {
    Object.assign(filters, emptyFilters());
    search();
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

  /** After a save or a lifecycle action: same filter, same place, fresh rows. */
  async function onSaved() {
    await Promise.all([rows.refresh(), loadChoices()]);
  }

  async function remove(row: SeatRow) {
    try {
      await ElMessageBox.confirm(
        `确定删除代表“${row.name}”的${row.term}${LEVEL_LABELS[row.level]}人大代表席位吗？删除后将不再出现在名册中，删除记录会保留备查。` +
          '（代表资格终止、辞职等请用“查看”中的“终止资格”，不要删除。）',
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
    void rows.reset();
    void loadChoices();
  });

  return {
    filters,
    choices,
    rows,
    filtered,
    emptyText,
    formVisible,
    editingSeatId,
    detailVisible,
    detailSeatId,
    search,
    reset,
    openCreate,
    openEdit,
    openDetail,
    onSaved,
    remove,
  };
}
