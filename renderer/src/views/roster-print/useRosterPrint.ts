import { onMounted, onUnmounted, ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { RosterSheet, RosterSheetFilter } from '@shared/contract/index';
import { LEVELS, type Level } from '@shared/dictionaries';
import { call, errorMessage } from '@/api/client';

/**
 * Page setup for the printed 代表名册: A4 landscape, page numbers in the bottom
 * margin. Added while this view is open and removed after, so other print
 * views keep their own page setup.
 */
const PAGE_CSS = `@page {
  size: A4 landscape;
  margin: 12mm 10mm 14mm 10mm;
  @bottom-center { content: "第 " counter(page) " 页  共 " counter(pages) " 页"; font-size: 9pt; font-family: "SimSun", "Noto Serif CJK SC", serif; }
}`;

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
  const router = useRouter();
  const sheet = ref<RosterSheet | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(true);
  let style: HTMLStyleElement | null = null;

  onMounted(async () => {
    style = document.createElement('style');
    style.textContent = PAGE_CSS;
    document.head.appendChild(style);
    try {
      sheet.value = await call('reports.rosterSheet', filterFromQuery(route.query));
      document.title = sheet.value.title;
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  });
  onUnmounted(() => style?.remove());

  function print() {
    window.print();
  }
  function back() {
    if (window.history.length > 1) router.back();
    else void router.push({ name: 'roster' });
  }

  return { sheet, error, loading, print, back };
}
