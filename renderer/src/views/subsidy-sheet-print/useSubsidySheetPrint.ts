import { computed, onMounted, onUnmounted, ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { SignSheet } from '@shared/contract/index';
import { call, errorMessage } from '@/api/client';

/**
 * Page setup for the printed 签领表: A4 portrait, page numbers in the bottom
 * margin. Added while this view is open and removed after, so other print
 * views keep their own page setup.
 */
const PAGE_CSS = `@page {
  size: A4 portrait;
  margin: 14mm 12mm 16mm 12mm;
  @bottom-center { content: "第 " counter(page) " 页  共 " counter(pages) " 页"; font-size: 9pt; font-family: "SimSun", "Noto Serif CJK SC", serif; }
}
@media print {
  html, body, #app { background: #fff !important; height: auto !important; }
}`;

export function useSubsidySheetPrint() {
  const route = useRoute();
  const router = useRouter();
  const sheet = ref<SignSheet | null>(null);
  const error = ref<string | null>(null);
  const totalMonths = computed(() => sheet.value?.rows.reduce((s, r) => s + r.months, 0) ?? 0);
  let style: HTMLStyleElement | null = null;

  onMounted(async () => {
    style = document.createElement('style');
    style.textContent = PAGE_CSS;
    document.head.appendChild(style);
    try {
      const township = typeof route.query.township === 'string' && route.query.township ? route.query.township : undefined;
      sheet.value = await call('subsidies.sheet', { batchId: String(route.params.batchId), township });
      document.title = sheet.value.title;
    } catch (err) {
      error.value = errorMessage(err);
    }
  });
  onUnmounted(() => style?.remove());

  function print() {
    window.print();
  }
  function back() {
    if (window.history.length > 1) router.back();
    else void router.push({ name: 'subsidy-batches' });
  }

  return { sheet, error, totalMonths, print, back };
}
