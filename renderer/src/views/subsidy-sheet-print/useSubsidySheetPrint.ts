import { computed } from 'vue';
import { useRoute } from 'vue-router';
import { call } from '@/api/client';
import { usePrintData } from '@/components/print/usePrintData';

export function useSubsidySheetPrint() {
  const route = useRoute();
  const { data: sheet, error, loading } = usePrintData(() => {
    const township = typeof route.query.township === 'string' && route.query.township ? route.query.township : undefined;
    return call('subsidies.sheet', { batchId: String(route.params.batchId), township });
  }, (s) => s.title);
  const totalMonths = computed(() => sheet.value?.rows.reduce((s, r) => s + r.months, 0) ?? 0);
  return { sheet, error, loading, totalMonths };
}
