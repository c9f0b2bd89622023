import { ElMessage } from 'element-plus';
import { computed, ref } from 'vue';
import type { HandoffImportReport, PackageSummary } from '@shared/contract/index';
import { call, showError } from '@/api/client';
import { readFileInput, useJobProgress } from './format';

/** 导入: pick the file, see what it is, type the passphrase; every check runs before anything is written. */
export function useImport(onDone: () => Promise<void> | void) {
  const file = ref<{ name: string; base64: string } | null>(null);
  const summary = ref<PackageSummary | null>(null);
  const passphrase = ref('');
  const report = ref<HandoffImportReport | null>(null);
  const reading = ref(false);
  const job = useJobProgress();

  async function pick(raw: File) {
    reading.value = true;
    report.value = null;
    summary.value = null;
    try {
      file.value = await readFileInput(raw);
      summary.value = await call('handoff.inspect', { file: file.value });
    } catch (err) {
      file.value = null;
      showError(err);
    } finally {
      reading.value = false;
    }
  }

  const canImport = computed(
    () => !!file.value && !!summary.value?.trusted && !!summary.value?.addressedToMe && passphrase.value.length > 0 && !job.running.value,
  );

  async function run() {
    if (!file.value) return;
    try {
      report.value = await job.run((jobId) => call('handoff.import', { file: file.value!, passphrase: passphrase.value, jobId }));
      ElMessage.success(report.value.status === 'applied' ? '导入完成' : '此数据交换包以前已经导入过');
      passphrase.value = '';
      await onDone();
    } catch (err) {
      showError(err);
    }
  }

  function clear() {
    file.value = null;
    summary.value = null;
    report.value = null;
  }

  return { file, summary, passphrase, report, reading, job, canImport, pick, run, clear };
}
