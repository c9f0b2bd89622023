import { ElMessage } from 'element-plus';
import { computed, onMounted, reactive, ref } from 'vue';
import {
  COMPOSITION_MEASURES,
  type CompositionReport,
  type CompositionRow,
} from '@shared/contract/index';
import { LEVEL_LABELS, LEVELS, type Level } from '@shared/dictionaries';
import { call, showError } from '@/api/client';
import { saveFile } from '@/components/files/saveFile';
import { useOfficeStore } from '@/stores/office';

export const LEVEL_OPTIONS = LEVELS.map((value) => ({ value, label: LEVEL_LABELS[value] }));

/** The table's column groups: 性别民族, 政治面貌, 代表构成, 学历, 年龄, 连任情况. */
export const MEASURE_GROUPS = [...new Set(COMPOSITION_MEASURES.map((m) => m.group))].map((group) => ({
  group,
  measures: COMPOSITION_MEASURES.filter((m) => m.group === group),
}));

/** 代表构成 categories for the chart (基层代表 is their sum, so not stacked). */
export const CATEGORY_MEASURES = COMPOSITION_MEASURES.filter((m) => m.group === '代表构成' && m.key !== 'grassroots');

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export const pct = (value: number) => `${value.toFixed(1)}%`;

export function useComposition() {
  const office = useOfficeStore();
  const filters = reactive<{ level: Level; term: string; asOf: string }>({
    level: office.office?.officeType === 'county' ? 'county' : 'township',
    term: '',
    asOf: today(),
  });
  const report = ref<CompositionReport | null>(null);
  const terms = ref<string[]>([]);
  const loading = ref(false);
  const exporting = ref(false);

  const rows = computed<CompositionRow[]>(() => report.value?.rows ?? []);
  const townshipRows = computed(() => rows.value.filter((r) => r.scope !== '合计'));
  const total = computed(() => rows.value.find((r) => r.scope === '合计') ?? null);

  const input = () => ({ level: filters.level, term: filters.term || undefined, asOf: filters.asOf || undefined });

  async function load() {
    loading.value = true;
    try {
      report.value = await call('reports.composition', input());
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }

  async function loadTerms() {
    try {
      terms.value = (await call('roster.choices', {})).terms;
    } catch (err) {
      showError(err);
    }
  }

  async function exportExcel() {
    exporting.value = true;
    try {
      const file = await call('reports.compositionWorkbook', input());
      saveFile(file);
      ElMessage.success(`已导出：${file.fileName}`);
    } catch (err) {
      showError(err);
    } finally {
      exporting.value = false;
    }
  }

  onMounted(() => {
    void load();
    void loadTerms();
  });

  return { filters, report, rows, townshipRows, total, terms, loading, exporting, load, exportExcel };
}
