import { ref } from 'vue';
import { call } from '@/api/client';

/** 2026-11-21 13:05 in the PC's local time. */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function sizeText(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

export function readFileInput(file: File): Promise<{ name: string; base64: string }> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ name: file.name, base64: String(reader.result).replace(/^data:[^,]*,/, '') });
    reader.onerror = () => reject(new Error('无法读取所选文件'));
    reader.readAsDataURL(file);
  });
}

/**
 * Runs an export or import while polling its progress: the core reports
 * stages by job id and answers `handoff.progress` while it works.
 */
export function useJobProgress() {
  const percent = ref(0);
  const stage = ref('');
  const running = ref(false);

  async function run<T>(work: (jobId: string) => Promise<T>): Promise<T> {
    const jobId = `job-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    percent.value = 0;
    stage.value = '准备';
    running.value = true;
    const timer = setInterval(async () => {
      try {
        const p = await call('handoff.progress', { jobId });
        if (p && running.value) {
          percent.value = Math.max(percent.value, p.percent);
          stage.value = p.stage;
        }
      } catch {
        // Progress is a nicety; the work itself reports its errors.
      }
    }, 250);
    try {
      const result = await work(jobId);
      percent.value = 100;
      stage.value = '完成';
      return result;
    } finally {
      clearInterval(timer);
      running.value = false;
    }
  }

  return { percent, stage, running, run };
}

export const RULE_TAG: Record<string, 'warning' | 'info' | 'danger' | 'primary'> = {
  owner: 'primary',
  clock: 'info',
  'office-code tie': 'info',
  delete: 'danger',
};
