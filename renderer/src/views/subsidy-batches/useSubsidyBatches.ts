import { ElMessage, ElMessageBox } from 'element-plus';
import { computed, h, onMounted, reactive, ref, watch } from 'vue';
import { useRouter } from 'vue-router';
import type { BatchDetail, BatchException, BatchLine, BatchSummary, ExceptionKind, RunResult } from '@shared/contract/index';
import { EXCEPTION_KIND_LABELS } from '@shared/contract/index';
import { fenToCapitals, fenToYuanString } from '@shared/money';
import { call, showError } from '@/api/client';
import { saveFile } from '@/components/files/saveFile';

export const yuan = (fen: number) => fenToYuanString(fen);

export type PeriodKind = 'month' | 'quarter' | 'half' | 'year';
export const PERIOD_KINDS: { value: PeriodKind; label: string }[] = [
  { value: 'month', label: '按月' },
  { value: 'quarter', label: '按季度' },
  { value: 'half', label: '按半年' },
  { value: 'year', label: '按年度' },
];
export const PARTS: Record<Exclude<PeriodKind, 'year'>, { value: number; label: string }[]> = {
  month: Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1}月` })),
  quarter: ['第一季度', '第二季度', '第三季度', '第四季度'].map((label, i) => ({ value: i + 1, label })),
  half: [
    { value: 1, label: '上半年' },
    { value: 2, label: '下半年' },
  ],
};

export function periodCode(kind: PeriodKind, year: number, part: number): string {
  if (kind === 'month') return `${year}-${String(part).padStart(2, '0')}`;
  if (kind === 'quarter') return `${year}Q${part}`;
  if (kind === 'half') return `${year}H${part}`;
  return String(year);
}

export interface ExceptionGroup {
  kind: ExceptionKind;
  label: string;
  items: BatchException[];
}

export function groupExceptions(list: BatchException[]): ExceptionGroup[] {
  const groups = new Map<ExceptionKind, BatchException[]>();
  for (const e of list) groups.set(e.kind, [...(groups.get(e.kind) ?? []), e]);
  return [...groups].map(([kind, items]) => ({ kind, label: EXCEPTION_KIND_LABELS[kind], items }));
}

const LINES_PAGE = 100;

export function useSubsidyBatches() {
  const router = useRouter();
  const now = new Date();
  const picker = reactive({ kind: 'quarter' as PeriodKind, year: now.getFullYear(), part: Math.floor(now.getMonth() / 3) + 1 });
  const period = computed(() => periodCode(picker.kind, picker.year, picker.part));

  const batches = ref<BatchSummary[]>([]);
  const loading = ref(false);
  const running = ref(false);
  const preview = ref<RunResult | null>(null);
  const previewVisible = ref(false);

  const selectedId = ref<string | null>(null);
  const detail = ref<BatchDetail | null>(null);
  const loadingDetail = ref(false);
  const lineFilter = reactive({ township: '', q: '' });
  const linePage = ref(1);
  const busy = ref(false);

  const filteredLines = computed<BatchLine[]>(() => {
    const lines = detail.value?.lines ?? [];
    const q = lineFilter.q.trim();
    return lines.filter((l) => (!lineFilter.township || l.township === lineFilter.township) && (!q || l.name.includes(q)));
  });
  const pagedLines = computed(() => filteredLines.value.slice((linePage.value - 1) * LINES_PAGE, linePage.value * LINES_PAGE));
  const filteredTotal = computed(() => filteredLines.value.reduce((s, l) => s + l.amountFen, 0));
  const exceptionGroups = computed(() => groupExceptions(detail.value?.exceptions ?? []));
  const capitals = computed(() => (detail.value ? fenToCapitals(detail.value.batch.totalFen) : ''));

  watch(() => picker.kind, (kind) => {
    if (kind === 'year') picker.part = 1;
    else picker.part = Math.min(picker.part, PARTS[kind].length);
  });
  watch(() => [lineFilter.township, lineFilter.q], () => (linePage.value = 1));

  async function load() {
    loading.value = true;
    try {
      batches.value = await call('subsidies.batches', {});
      if (!selectedId.value && batches.value.length) await select(batches.value[0]!.id);
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }

  async function select(id: string) {
    selectedId.value = id;
    loadingDetail.value = true;
    try {
      detail.value = await call('subsidies.batch', { batchId: id });
      lineFilter.township = '';
      lineFilter.q = '';
      linePage.value = 1;
    } catch (err) {
      showError(err);
    } finally {
      loadingDetail.value = false;
    }
  }

  async function dryRun() {
    running.value = true;
    try {
      preview.value = await call('subsidies.run', { period: period.value, dryRun: true });
      previewVisible.value = true;
    } catch (err) {
      showError(err);
    } finally {
      running.value = false;
    }
  }

  async function generate() {
    running.value = true;
    try {
      const r = await call('subsidies.run', { period: period.value, dryRun: false });
      previewVisible.value = false;
      ElMessage.success(`${r.replacedDraft ? '已重新生成' : '已生成'}${r.periodLabel}的发放批次草稿：${r.lines.length} 行，合计 ${yuan(r.totalFen)} 元`);
      batches.value = await call('subsidies.batches', {});
      if (r.batchId) await select(r.batchId);
    } catch (err) {
      showError(err);
    } finally {
      running.value = false;
    }
  }

  async function regenerate() {
    if (!detail.value) return;
    running.value = true;
    try {
      const r = await call('subsidies.run', { period: detail.value.batch.period, dryRun: false });
      ElMessage.success(`已按最新名册和标准重新生成：${r.lines.length} 行，合计 ${yuan(r.totalFen)} 元`);
      batches.value = await call('subsidies.batches', {});
      if (r.batchId) await select(r.batchId);
    } catch (err) {
      showError(err);
    } finally {
      running.value = false;
    }
  }

  async function issue() {
    const b = detail.value?.batch;
    if (!b) return;
    const pending = detail.value!.exceptions.length;
    try {
      await ElMessageBox.confirm(
        h('div', { class: 'issue-confirm-body' }, [
          h('p', `确认发放“${b.title}”：${b.lineCount} 行，合计 ${yuan(b.totalFen)} 元（${capitals.value}）。`),
          pending ? h('p', { style: 'color: var(--el-color-warning)' }, `还有 ${pending} 条待核对事项，请确认已逐条核对。`) : null,
          h('p', '确认后批次锁定，不能再修改；如有差错，只能在以后的批次中以调整行更正。'),
        ]),
        '确认发放',
        { type: 'warning', confirmButtonText: '确认发放', cancelButtonText: '再看看', customClass: 'issue-confirm' },
      );
    } catch {
      return;
    }
    busy.value = true;
    try {
      await call('subsidies.issue', { batchId: b.id });
      ElMessage.success('已确认发放，批次已锁定。现在可以打印签领表、导出银行代发清单。');
      batches.value = await call('subsidies.batches', {});
      await select(b.id);
    } catch (err) {
      showError(err);
    } finally {
      busy.value = false;
    }
  }

  async function removeDraft() {
    const b = detail.value?.batch;
    if (!b) return;
    try {
      await ElMessageBox.confirm(`确定删除草稿“${b.title}”吗？`, '删除草稿', {
        type: 'warning',
        confirmButtonText: '确定删除',
        cancelButtonText: '取消',
        confirmButtonClass: 'el-button--danger',
      });
    } catch {
      return;
    }
    try {
      await call('subsidies.removeBatch', { batchId: b.id });
      ElMessage.success('已删除草稿');
      selectedId.value = null;
      detail.value = null;
      await load();
    } catch (err) {
      showError(err);
    }
  }

  async function editNote(line: BatchLine) {
    let note: string;
    try {
      const r = await ElMessageBox.prompt(`${line.name}的备注（会印在签领表上）`, '修改备注', {
        inputValue: line.note ?? '',
        confirmButtonText: '保存',
        cancelButtonText: '取消',
        inputValidator: (v) => (v.length <= 300 ? true : '备注不超过300个字'),
      });
      note = r.value;
    } catch {
      return;
    }
    try {
      await call('subsidies.lineNote', { lineId: line.id, note });
      line.note = note.trim() || null;
    } catch (err) {
      showError(err);
    }
  }

  async function exportSheet() {
    if (!detail.value) return;
    busy.value = true;
    try {
      saveFile(await call('subsidies.sheetWorkbook', { batchId: detail.value.batch.id, township: lineFilter.township || undefined }));
    } catch (err) {
      showError(err);
    } finally {
      busy.value = false;
    }
  }

  async function exportBank() {
    if (!detail.value) return;
    try {
      await ElMessageBox.confirm('银行代发清单含完整银行账号，仅用于报送银行，请妥善保管。导出会记入操作日志。', '导出银行代发清单', {
        type: 'info',
        confirmButtonText: '导出',
        cancelButtonText: '取消',
      });
    } catch {
      return;
    }
    busy.value = true;
    try {
      saveFile(await call('subsidies.bankWorkbook', { batchId: detail.value.batch.id }));
    } catch (err) {
      showError(err);
    } finally {
      busy.value = false;
    }
  }

  function print() {
    if (!detail.value) return;
    void router.push({ name: 'subsidy-sheet-print', params: { batchId: detail.value.batch.id }, query: lineFilter.township ? { township: lineFilter.township } : {} });
  }

  onMounted(load);

  return {
    picker,
    period,
    batches,
    loading,
    running,
    preview,
    previewVisible,
    selectedId,
    detail,
    loadingDetail,
    lineFilter,
    linePage,
    LINES_PAGE,
    filteredLines,
    pagedLines,
    filteredTotal,
    exceptionGroups,
    capitals,
    busy,
    select,
    dryRun,
    generate,
    regenerate,
    issue,
    removeDraft,
    editNote,
    exportSheet,
    exportBank,
    print,
  };
}
