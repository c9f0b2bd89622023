import { ElMessage, ElMessageBox } from 'element-plus';
import { computed, onMounted, reactive, ref, watch } from 'vue';
import type { FundChoices, FundEntryRow, FundSummary, StationBalance } from '@shared/contract/index';
import { fenToYuanString } from '@shared/money';
import { call, showError } from '@/api/client';
import { saveFile } from '@/components/files/saveFile';
import { usePaging } from '@/components/list/usePaging';

export const yuan = (fen: number | null | undefined) => (fen === null || fen === undefined ? '' : fenToYuanString(fen));

/** 执行率 for the progress bar (capped at 100; the colour tells overspending). */
export function usage(f: Pick<FundSummary, 'budgetFen' | 'spentFen'>): number {
  if (f.budgetFen <= 0) return f.spentFen > 0 ? 100 : 0;
  return Math.min(100, Math.round((f.spentFen / f.budgetFen) * 1000) / 10);
}

export type FundsTab = 'funds' | 'entries' | 'stations' | 'approvals';

export function useFunds() {
  const year = ref(new Date().getFullYear());
  const tab = ref<FundsTab>('funds');
  const choices = ref<FundChoices>({
    years: [],
    stations: [],
    groups: [],
    seatCounts: { national: 0, province: 0, city: 0, county: 0, township: 0 },
    stationCount: 0,
  });
  const funds = ref<FundSummary[]>([]);
  const loadingFunds = ref(false);

  const filters = reactive({ fundId: '', stationId: '', q: '' });
  const entries = ref<FundEntryRow[]>([]);
  const entriesTotal = ref(0);
  const entriesFen = ref(0);
  const { page, pageSize, search: searchEntries } = usePaging(loadEntries);
  const loadingEntries = ref(false);

  const stations = ref<StationBalance[]>([]);
  const approvals = ref<FundEntryRow[]>([]);
  const exporting = ref(false);

  const fundDialog = ref(false);
  const editingFund = ref<FundSummary | null>(null);
  const entryDialog = ref(false);
  const editingEntry = ref<FundEntryRow | null>(null);
  const entryFundId = ref<string | null>(null);

  const totals = computed(() => {
    const budget = funds.value.reduce((s, f) => s + f.budgetFen, 0);
    const spent = funds.value.reduce((s, f) => s + f.spentFen, 0);
    return { budget, spent, balance: budget - spent, approvals: funds.value.reduce((s, f) => s + f.overBudgetCount, 0) };
  });

  async function loadChoices() {
    try {
      choices.value = await call('funds.choices', {});
      if (!choices.value.years.includes(year.value) && choices.value.years.length) {
        // Start on the latest year that has funds.
        year.value = choices.value.years[0]!;
      }
    } catch (err) {
      showError(err);
    }
  }

  async function loadFunds() {
    loadingFunds.value = true;
    try {
      funds.value = await call('funds.list', { year: year.value });
    } catch (err) {
      showError(err);
    } finally {
      loadingFunds.value = false;
    }
  }

  async function loadEntries() {
    loadingEntries.value = true;
    try {
      const r = await call('funds.entries', {
        year: year.value,
        fundId: filters.fundId || undefined,
        stationId: filters.stationId || undefined,
        q: filters.q.trim() || undefined,
        page: page.value,
        pageSize: pageSize.value,
      });
      entries.value = r.rows;
      entriesTotal.value = r.total;
      entriesFen.value = r.totalFen;
    } catch (err) {
      showError(err);
    } finally {
      loadingEntries.value = false;
    }
  }

  async function loadStations() {
    try {
      stations.value = await call('funds.stations', { year: year.value });
    } catch (err) {
      showError(err);
    }
  }

  async function loadApprovals() {
    try {
      approvals.value = (await call('funds.entries', { year: year.value, overBudgetOnly: true, pageSize: 500 })).rows;
    } catch (err) {
      showError(err);
    }
  }

  function loadTab() {
    if (tab.value === 'entries') void loadEntries();
    if (tab.value === 'stations') void loadStations();
    if (tab.value === 'approvals') void loadApprovals();
  }

  async function reload() {
    await loadFunds();
    loadTab();
  }

  function showEntriesOf(fund: FundSummary) {
    filters.fundId = fund.id;
    filters.stationId = '';
    filters.q = '';
    tab.value = 'entries';
    searchEntries();
  }

  function openCreateFund() {
    editingFund.value = null;
    fundDialog.value = true;
  }
  function openEditFund(f: FundSummary) {
    editingFund.value = f;
    fundDialog.value = true;
  }
  function openCreateEntry(fundId: string | null = null) {
    editingEntry.value = null;
    entryFundId.value = fundId ?? (filters.fundId || null);
    entryDialog.value = true;
  }
  function openEditEntry(e: FundEntryRow) {
    editingEntry.value = e;
    entryFundId.value = e.fundId;
    entryDialog.value = true;
  }

  async function removeFund(f: FundSummary) {
    try {
      await ElMessageBox.confirm(`确定删除“${f.name}”吗？`, '删除经费', {
        type: 'warning',
        confirmButtonText: '确定删除',
        cancelButtonText: '取消',
        confirmButtonClass: 'el-button--danger',
      });
    } catch {
      return;
    }
    try {
      await call('funds.remove', { id: f.id });
      ElMessage.success(`已删除“${f.name}”`);
      await reload();
    } catch (err) {
      showError(err);
    }
  }

  async function removeEntry(e: FundEntryRow) {
    try {
      await ElMessageBox.confirm(
        `确定删除 ${e.date} “${e.purpose}” ${yuan(e.amountFen)} 元这笔支出吗？删除记录会保留备查。`,
        '删除支出',
        { type: 'warning', confirmButtonText: '确定删除', cancelButtonText: '取消', confirmButtonClass: 'el-button--danger' },
      );
    } catch {
      return;
    }
    try {
      await call('funds.entryRemove', { id: e.id });
      ElMessage.success('已删除该笔支出');
      await reload();
    } catch (err) {
      showError(err);
    }
  }

  async function exportReport() {
    exporting.value = true;
    try {
      saveFile(await call('funds.reportWorkbook', { year: year.value }));
    } catch (err) {
      showError(err);
    } finally {
      exporting.value = false;
    }
  }

  async function onSaved() {
    await Promise.all([loadChoices(), reload()]);
  }

  watch(year, () => {
    filters.fundId = '';
    page.value = 1;
    void reload();
  });
  watch(tab, loadTab);

  onMounted(async () => {
    await loadChoices();
    await reload();
  });

  return {
    year,
    tab,
    choices,
    funds,
    loadingFunds,
    totals,
    filters,
    entries,
    entriesTotal,
    entriesFen,
    page,
    pageSize,
    loadingEntries,
    stations,
    approvals,
    exporting,
    fundDialog,
    editingFund,
    entryDialog,
    editingEntry,
    entryFundId,
    loadEntries,
    searchEntries,
    showEntriesOf,
    openCreateFund,
    openEditFund,
    openCreateEntry,
    openEditEntry,
    removeFund,
    removeEntry,
    exportReport,
    onSaved,
  };
}
