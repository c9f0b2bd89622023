import { useRoute } from 'vue-router';
import type { RosterSheetFilter } from '@shared/contract/index';
import { LEVELS, type Level } from '@shared/dictionaries';
import { call } from '@/api/client';
import { usePrintData } from '@/components/print/usePrintData';

const STATUSES = ['active', 'current', 'suspended', 'ended', 'all'] as const;

/** /print/roster?level=township&township=青山镇… → the filter the roster screen had. */
function filterFromQuery(query: Record<string, unknown>): RosterSheetFilter {
  const text = (key: string) => (typeof query[key] === 'string' && query[key] ? (query[key] as string) : undefined);
  const level = text('level');
  const status = text('status');
  return {
    q: text('q'),
    level: level && (LEVELS as readonly string[]).includes(level) ? (level as Level) : undefined,
    township: text('township'),
    term: text('term'),
    groupId: text('groupId'),
    stationId: text('stationId'),
    status: status && (STATUSES as readonly string[]).includes(status) ? (status as RosterSheetFilter['status']) : 'active',
  };
}

export function useRosterPrint() {
  const route = useRoute();
  const { data: sheet, error, loading } = usePrintData(
    () => call('reports.rosterSheet', filterFromQuery(route.query)),
    (s) => s.title,
  );
  return { sheet, error, loading };
}
