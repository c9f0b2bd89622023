import { ElMessage, ElMessageBox } from 'element-plus';
import { onMounted, reactive, ref } from 'vue';
import type { StandardRecord } from '@shared/contract/index';
import { LEVEL_LABELS, LEVELS, type Level } from '@shared/dictionaries';
import { fenToYuanString } from '@shared/money';
import { DEFAULT_POLICY, type SubsidyPolicy } from '@shared/subsidies/index';
import { call, showError } from '@/api/client';

/** 县级及以上 when the levels run from national down to county; else the levels listed. */
export function levelsLabel(levels: Level[]): string {
  const idx = levels.map((l) => LEVELS.indexOf(l)).sort();
  const contiguousFromTop = idx[0] === 0 && idx.every((v, i) => v === i);
  if (contiguousFromTop && levels.length > 1) return `${LEVEL_LABELS[LEVELS[idx[idx.length - 1]!]!]}级及以上`;
  return levels.map((l) => LEVEL_LABELS[l]).join('、');
}

/** The rate in force today, and the next one if already decided. */
export function currentRate(s: StandardRecord, today = new Date().toISOString().slice(0, 10)): number | null {
  const past = s.rates.filter((r) => r.effectiveFrom <= today);
  return past.length ? past[past.length - 1]!.amountFen : null;
}

export function rateHistory(s: StandardRecord): string {
  return s.rates.map((r) => `${r.effectiveFrom.slice(0, 7)}起 ${fenToYuanString(r.amountFen)}元`).join('；');
}

export function useSubsidyStandards() {
  const standards = ref<StandardRecord[]>([]);
  const loading = ref(false);
  const policy = reactive<SubsidyPolicy>({ ...DEFAULT_POLICY });
  const savingPolicy = ref(false);
  const standardDialog = ref(false);
  const editing = ref<StandardRecord | null>(null);
  const rateDialog = ref(false);
  const rateStandard = ref<StandardRecord | null>(null);

  async function load() {
    loading.value = true;
    try {
      standards.value = await call('subsidies.standards', {});
      if (rateStandard.value) rateStandard.value = standards.value.find((s) => s.id === rateStandard.value!.id) ?? null;
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }

  async function loadPolicy() {
    try {
      Object.assign(policy, await call('subsidies.policy', {}));
    } catch (err) {
      showError(err);
    }
  }

  async function savePolicy() {
    savingPolicy.value = true;
    try {
      Object.assign(policy, await call('subsidies.policySet', { ...policy }));
      ElMessage.success('已保存发放规则。新规则用于以后生成的批次；已发放批次按当时的规则计算，不受影响。');
    } catch (err) {
      showError(err);
    } finally {
      savingPolicy.value = false;
    }
  }

  function openCreate() {
    editing.value = null;
    standardDialog.value = true;
  }
  function openEdit(s: StandardRecord) {
    editing.value = s;
    standardDialog.value = true;
  }
  function openRates(s: StandardRecord) {
    rateStandard.value = s;
    rateDialog.value = true;
  }

  async function remove(s: StandardRecord) {
    try {
      await ElMessageBox.confirm(
        `确定删除补贴标准“${s.name}”吗？以后生成的批次不再按此标准计发；已发放的批次不受影响，但以后的批次会把差额列为调整行。`,
        '删除补贴标准',
        { type: 'warning', confirmButtonText: '确定删除', cancelButtonText: '取消', confirmButtonClass: 'el-button--danger' },
      );
    } catch {
      return;
    }
    try {
      await call('subsidies.standardRemove', { id: s.id });
      ElMessage.success(`已删除“${s.name}”`);
      await load();
    } catch (err) {
      showError(err);
    }
  }

  onMounted(() => {
    void load();
    void loadPolicy();
  });

  return { standards, loading, policy, savingPolicy, standardDialog, editing, rateDialog, rateStandard, load, savePolicy, openCreate, openEdit, openRates, remove };
}
