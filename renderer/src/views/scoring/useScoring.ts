import { ElMessage } from 'element-plus';
import { computed, onMounted, reactive, ref } from 'vue';
import { useRouter } from 'vue-router';
import type { ScoreAlert, ScoreList } from '@shared/contract/index';
import type { Level } from '@shared/dictionaries';
import { call, showError } from '@/api/client';
import { saveFile } from '@/components/files/saveFile';
import { usePaging } from '@/components/list/usePaging';
import { useScoringChoices } from '@/components/scoring/useScoringChoices';

interface Filters {
  period: string;
  level: Level | '';
  township: string;
  groupId: string;
  grade: string;
  q: string;
}

export function useScoring() {
  const router = useRouter();
  const choices = useScoringChoices();
  const filters = reactive<Filters>({ period: '', level: '', township: '', groupId: '', grade: '', q: '' });
  const { page, pageSize, search } = usePaging(load);
  const list = ref<ScoreList | null>(null);
  const loading = ref(false);
  const problem = ref('');
  const alerts = ref<ScoreAlert[]>([]);
  const explainVisible = ref(false);
  const explainSeatId = ref<string | null>(null);
  const exporting = ref(false);

  const query = () => ({
    period: filters.period,
    level: filters.level || undefined,
    township: filters.township || undefined,
    groupId: filters.groupId || undefined,
    grade: filters.grade || undefined,
    q: filters.q.trim() || undefined,
  });

  async function load() {
    if (!filters.period) return;
    loading.value = true;
    problem.value = '';
    try {
      list.value = await call('scoring.scores', { ...query(), page: page.value, pageSize: pageSize.value });
    } catch (err) {
      list.value = null;
      problem.value = err instanceof Error ? err.message : String(err);
    } finally {
      loading.value = false;
    }
    try {
      alerts.value = await call('scoring.alerts', { period: filters.period, township: filters.township || undefined });
    } catch {
      alerts.value = [];
    }
  }

  function openExplain(seatId: string) {
    explainSeatId.value = seatId;
    explainVisible.value = true;
  }

  async function exportSummary() {
    exporting.value = true;
    try {
      saveFile(await call('scoring.summaryWorkbook', { period: filters.period, township: filters.township || undefined, level: filters.level || undefined }));
      ElMessage.success('履职积分汇总表已导出');
    } catch (err) {
      showError(err);
    } finally {
      exporting.value = false;
    }
  }

  async function exportDossiers() {
    if (!filters.township && !filters.level) {
      ElMessage.warning('请先选择乡镇或层级，按乡镇批量导出履职档案');
      return;
    }
    exporting.value = true;
    try {
      saveFile(await call('scoring.dossierWorkbook', { period: filters.period, township: filters.township || undefined, level: filters.level || undefined }));
    } catch (err) {
      showError(err);
    } finally {
      exporting.value = false;
    }
  }

  function printDossiers(seatId?: string) {
    if (!seatId && !filters.township && !filters.level) {
      ElMessage.warning('请先选择乡镇或层级，按乡镇批量打印履职档案');
      return;
    }
    const q: Record<string, string> = { period: filters.period };
    if (seatId) q.seatId = seatId;
    else {
      if (filters.township) q.township = filters.township;
      if (filters.level) q.level = filters.level;
    }
    void router.push({ name: 'dossier-print', query: q });
  }

  const gradeOptions = computed(() => [...(list.value?.grades ?? []), '无等级']);

  onMounted(async () => {
    await choices.loadChoices();
    filters.period = choices.defaultPeriod();
    await load();
  });

  return {
    ...choices,
    filters,
    page,
    pageSize,
    list,
    loading,
    problem,
    alerts,
    explainVisible,
    explainSeatId,
    exporting,
    gradeOptions,
    load,
    search,
    openExplain,
    exportSummary,
    exportDossiers,
    printDossiers,
  };
}
