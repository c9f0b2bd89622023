import { ElMessage, ElMessageBox } from 'element-plus';
import { computed, onMounted, reactive, ref } from 'vue';
import type { ActivityTypeInfo, RuleItem, RulePresetInfo, RuleSetDetail, RuleSetSummary, RulesImportReport } from '@shared/contract/index';
import type { Level } from '@shared/dictionaries';
import { parsePeriod } from '@shared/scoring/period';
import { formatPoints, parsePoints } from '@shared/scoring/points';
import type { RuleCategory } from '@shared/scoring/rules';
import { call, showError } from '@/api/client';
import { saveFile } from '@/components/files/saveFile';

/** Points typed as text ("2.5", "不封顶") ↔ hundredths. */
export const pointsText = (x100: number | null, none = '') => (x100 === null ? none : formatPoints(x100));

export interface ItemForm {
  id?: string;
  code: string;
  name: string;
  category: RuleCategory;
  activityTypes: string[];
  first: string;
  further: string;
  cap: string;
  leave: string;
  absent: string;
  cosign: string;
  cosignCap: string;
  note: string;
}

const emptyItem = (): ItemForm => ({
  code: '',
  name: '',
  category: '闭会期间',
  activityTypes: [],
  first: '',
  further: '',
  cap: '',
  leave: '',
  absent: '',
  cosign: '',
  cosignCap: '',
  note: '',
});

export function useRules() {
  const sets = ref<RuleSetSummary[]>([]);
  const presets = ref<RulePresetInfo[]>([]);
  const types = ref<ActivityTypeInfo[]>([]);
  const selectedId = ref<string | null>(null);
  const detail = ref<RuleSetDetail | null>(null);
  const loading = ref(false);

  const settings = reactive({ name: '', base: '', floor: '', grades: [] as { name: string; min: string }[], requireReview: false, bottomN: '', bottomRuns: 2, below: '' });

  const createVisible = ref(false);
  const createForm = reactive({ period: String(new Date().getFullYear()), level: '' as Level | '', source: 'preset' as 'preset' | 'copy', preset: 'first-further-cap', copyFromId: '' });

  const itemVisible = ref(false);
  const itemForm = reactive<ItemForm>(emptyItem());

  const importVisible = ref(false);
  const importForm = reactive({ period: String(new Date().getFullYear()), level: '' as Level | '', file: null as { name: string; base64: string } | null });
  const importReport = ref<RulesImportReport | null>(null);

  const editable = computed(() => detail.value !== null && detail.value.status !== 'closed');

  async function loadList(selectId?: string) {
    try {
      const [s, p, t] = await Promise.all([call('scoring.ruleSets', {}), call('scoring.presets', {}), call('activities.types', {})]);
      sets.value = s;
      presets.value = p;
      types.value = t;
      const id = selectId ?? selectedId.value ?? s[0]?.id ?? null;
      if (id) await select(id);
      else detail.value = null;
    } catch (err) {
      showError(err);
    }
  }

  async function select(id: string) {
    selectedId.value = id;
    loading.value = true;
    try {
      const d = await call('scoring.ruleSet', { id });
      detail.value = d;
      settings.name = d.name;
      settings.base = pointsText(d.base, '0');
      settings.floor = pointsText(d.floor, '');
      settings.grades = d.grades.map((g) => ({ name: g.name, min: pointsText(g.min, '') }));
      settings.requireReview = d.requireReview;
      settings.bottomN = d.alerts.bottomN === null ? '' : String(d.alerts.bottomN);
      settings.bottomRuns = d.alerts.bottomRuns;
      settings.below = pointsText(d.alerts.below, '');
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }

  function points(text: string, label: string, nullable = false): number | null {
    const t = text.trim();
    if (t === '' || t === '不封顶' || t === '不设') {
      if (nullable) return null;
      return 0;
    }
    const v = parsePoints(t);
    if (v === null) throw new Error(`${label}“${t}”不是分值，请填写数字（最多两位小数）`);
    return v;
  }

  async function saveSettings() {
    if (!detail.value) return;
    try {
      await call('scoring.ruleSetUpdate', {
        id: detail.value.id,
        name: settings.name,
        base: points(settings.base, '基础分') ?? 0,
        floor: points(settings.floor, '总分下限', true),
        grades: settings.grades.filter((g) => g.name.trim()).map((g) => ({ name: g.name.trim(), min: points(g.min, `等级“${g.name}”的最低分`, true) })),
        requireReview: settings.requireReview,
        alerts: {
          bottomN: settings.bottomN.trim() ? Number(settings.bottomN) : null,
          bottomRuns: settings.bottomRuns,
          below: points(settings.below, '预警分数线', true),
        },
      });
      ElMessage.success(detail.value.status === 'in_force' ? '已保存，积分已按新规则重新计算' : '已保存');
      await loadList(detail.value.id);
    } catch (err) {
      showError(err);
    }
  }

  function openItem(item?: RuleItem) {
    Object.assign(itemForm, emptyItem());
    if (item) {
      Object.assign(itemForm, {
        id: item.id,
        code: item.code,
        name: item.name,
        category: item.category,
        activityTypes: [...item.activityTypes],
        first: pointsText(item.firstPoints, '0'),
        further: pointsText(item.furtherPoints, '0'),
        cap: pointsText(item.cap, ''),
        leave: item.leavePoints ? formatPoints(Math.abs(item.leavePoints)) : '',
        absent: item.absentPoints ? formatPoints(Math.abs(item.absentPoints)) : '',
        cosign: item.cosignPoints ? formatPoints(item.cosignPoints) : '',
        cosignCap: pointsText(item.cosignCap, ''),
        note: item.note ?? '',
      });
    } else {
      delete itemForm.id;
    }
    itemVisible.value = true;
  }

  async function saveItem() {
    if (!detail.value) return;
    try {
      const deduction = (text: string, label: string) => -Math.abs(points(text, label) ?? 0);
      await call('scoring.ruleItemSave', {
        ruleSetId: detail.value.id,
        id: itemForm.id,
        code: itemForm.code,
        name: itemForm.name,
        category: itemForm.category,
        activityTypes: itemForm.activityTypes,
        firstPoints: points(itemForm.first, '首次分值') ?? 0,
        furtherPoints: points(itemForm.further, '每增加一次') ?? 0,
        cap: points(itemForm.cap, '本期上限', true),
        leavePoints: deduction(itemForm.leave, '请假扣分'),
        absentPoints: deduction(itemForm.absent, '缺席扣分'),
        cosignPoints: points(itemForm.cosign, '附议每件') ?? 0,
        cosignCap: points(itemForm.cosignCap, '附议上限', true),
        note: itemForm.note || null,
      });
      itemVisible.value = false;
      ElMessage.success(detail.value.status === 'in_force' ? '已保存，积分已按新规则重新计算' : '已保存');
      await select(detail.value.id);
    } catch (err) {
      showError(err);
    }
  }

  async function removeItem(item: RuleItem) {
    if (!detail.value) return;
    try {
      await ElMessageBox.confirm(`删除积分项目“${item.code} ${item.name}”？`, '删除项目', { type: 'warning', confirmButtonText: '删除', cancelButtonText: '取消' });
    } catch {
      return;
    }
    try {
      await call('scoring.ruleItemRemove', { id: item.id });
      await loadList(detail.value.id);
    } catch (err) {
      showError(err);
    }
  }

  const reordering = ref(false);

  /**
   * Moves an item one place up (−1) or down (+1): the table shows the new
   * order at once and the whole order is saved (scoring.ruleItemsReorder); the
   * order is the one of the explanations, the summary table and the CLI.
   */
  async function moveItem(index: number, delta: -1 | 1) {
    const d = detail.value;
    const to = index + delta;
    if (!d || reordering.value || to < 0 || to >= d.items.length) return;
    const items = [...d.items];
    [items[index], items[to]] = [items[to]!, items[index]!];
    d.items = items.map((item, i) => ({ ...item, sortOrder: i + 1 }));
    reordering.value = true;
    try {
      await call('scoring.ruleItemsReorder', { ruleSetId: d.id, itemIds: items.map((i) => i.id) });
    } catch (err) {
      showError(err);
      // Someone else changed the items (or the rule set closed): show what is saved.
      await select(d.id);
    } finally {
      reordering.value = false;
    }
  }

  async function setStatus(status: 'draft' | 'in_force' | 'closed') {
    if (!detail.value) return;
    if (status === 'closed') {
      try {
        await ElMessageBox.confirm(
          `结束后，${detail.value.periodLabel}的积分将按现有规则和记录封存，规则和该期间的活动记录都不能再修改。确定结束？`,
          '结束并封存',
          { type: 'warning', confirmButtonText: '结束并封存', cancelButtonText: '取消' },
        );
      } catch {
        return;
      }
    }
    try {
      await call('scoring.ruleSetStatus', { id: detail.value.id, status });
      ElMessage.success('状态已更新');
      await loadList(detail.value.id);
    } catch (err) {
      showError(err);
    }
  }

  async function removeSet() {
    if (!detail.value) return;
    try {
      await ElMessageBox.confirm(`删除草稿规则“${detail.value.name}”？`, '删除规则', { type: 'warning', confirmButtonText: '删除', cancelButtonText: '取消' });
      await call('scoring.ruleSetRemove', { id: detail.value.id });
      selectedId.value = null;
      await loadList();
    } catch (err) {
      if (err !== 'cancel') showError(err);
    }
  }

  async function create() {
    try {
      const p = parsePeriod(createForm.period);
      if (!p) throw new Error('考核期间应写作 2025（年度）、2025H1（半年）、2025Q3（季度）或 2025-03（月度）');
      const { id } = await call('scoring.ruleSetCreate', {
        period: p.id,
        level: createForm.level || null,
        ...(createForm.source === 'copy' && createForm.copyFromId ? { copyFromId: createForm.copyFromId } : { preset: createForm.preset }),
      });
      createVisible.value = false;
      ElMessage.success('已新建草稿规则，核对后点击“执行”');
      await loadList(id);
    } catch (err) {
      showError(err);
    }
  }

  async function exportRules(preset?: string) {
    try {
      saveFile(await call('scoring.rulesExport', preset ? { preset } : { id: detail.value?.id }));
    } catch (err) {
      showError(err);
    }
  }

  async function runImport(dryRun: boolean) {
    if (!importForm.file) {
      ElMessage.warning('请选择积分规则表（.xlsx）');
      return;
    }
    try {
      importReport.value = await call('scoring.rulesImport', {
        file: importForm.file,
        period: importForm.period,
        level: importForm.level || null,
        dryRun,
      });
      if (importReport.value.imported) {
        ElMessage.success(`已导入 ${importReport.value.items} 个项目`);
        importVisible.value = false;
        await loadList(importReport.value.ruleSetId ?? undefined);
      }
    } catch (err) {
      showError(err);
    }
  }

  onMounted(() => loadList());

  return {
    sets,
    presets,
    types,
    selectedId,
    detail,
    loading,
    settings,
    editable,
    createVisible,
    createForm,
    itemVisible,
    itemForm,
    importVisible,
    importForm,
    importReport,
    select,
    saveSettings,
    openItem,
    saveItem,
    removeItem,
    reordering,
    moveItem,
    setStatus,
    removeSet,
    create,
    exportRules,
    runImport,
  };
}
