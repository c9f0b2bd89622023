import { onMounted, onUnmounted, ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { Dossier } from '@shared/contract/index';
import { LEVELS, type Level } from '@shared/dictionaries';
import { call, errorMessage } from '@/api/client';

/** A4 portrait, one deputy per sheet of paper, page numbers in the bottom margin. */
const PAGE_CSS = `@page {
  size: A4 portrait;
  margin: 16mm 15mm 16mm 15mm;
  @bottom-center { content: "第 " counter(page) " 页"; font-size: 9pt; font-family: "SimSun", "Noto Serif CJK SC", serif; }
}
@media print { html, body, #app { background: #fff !important; } }`;

export function useDossierPrint() {
  const route = useRoute();
  const router = useRouter();
  const dossiers = ref<Dossier[]>([]);
  const error = ref<string | null>(null);
  const loading = ref(true);
  let style: HTMLStyleElement | null = null;

  onMounted(async () => {
    style = document.createElement('style');
    style.textContent = PAGE_CSS;
    document.head.appendChild(style);
    const text = (key: string) => (typeof route.query[key] === 'string' && route.query[key] ? (route.query[key] as string) : undefined);
    const level = text('level');
    try {
      dossiers.value = await call('scoring.dossiers', {
        period: text('period') ?? String(new Date().getFullYear()),
        seatId: text('seatId'),
        township: text('township'),
        level: level && (LEVELS as readonly string[]).includes(level) ? (level as Level) : undefined,
      });
      const first = dossiers.value[0];
      if (first) document.title = dossiers.value.length === 1 ? `代表履职档案 ${first.basic[0]?.value ?? ''}` : `代表履职档案（${dossiers.value.length}份）`;
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  });
  onUnmounted(() => style?.remove());

  return {
    dossiers,
    error,
    loading,
    print: () => window.print(),
    back: () => (window.history.length > 1 ? router.back() : router.push({ name: 'scoring' })),
  };
}
