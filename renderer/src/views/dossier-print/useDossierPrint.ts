import { computed } from 'vue';
import { useRoute } from 'vue-router';
import type { Dossier } from '@shared/contract/index';
import { LEVELS, type Level } from '@shared/dictionaries';
import { call } from '@/api/client';
import { usePrintData } from '@/components/print/usePrintData';

function tabTitle(list: Dossier[]): string | null {
  const first = list[0];
  if (!first) return null;
  return list.length === 1 ? `代表履职档案 ${first.basic[0]?.value ?? ''}` : `代表履职档案（${list.length}份）`;
}

export function useDossierPrint() {
  const route = useRoute();
  const text = (key: string) => (typeof route.query[key] === 'string' && route.query[key] ? (route.query[key] as string) : undefined);
  const { data, error, loading } = usePrintData(() => {
    const level = text('level');
    return call('scoring.dossiers', {
      period: text('period') ?? String(new Date().getFullYear()),
      seatId: text('seatId'),
      township: text('township'),
      level: level && (LEVELS as readonly string[]).includes(level) ? (level as Level) : undefined,
    });
  }, tabTitle);
  const dossiers = computed(() => data.value ?? []);
  return { dossiers, error, loading };
}
