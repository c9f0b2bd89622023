import { ElMessage } from 'element-plus';
import { computed, onMounted, ref, watch, type Ref } from 'vue';
import type { HandoffDrive, HandoffExportResult, HandoffOverview } from '@shared/contract/index';
import { call, showError } from '@/api/client';
import { saveFile } from '@/components/files/saveFile';
import { useJobProgress } from './format';

/** 导出: the paired office, the USB drive (or a folder typed by hand), the shared passphrase. */
export function useExport(overview: Ref<HandoffOverview | null>, onDone: () => Promise<void> | void) {
  const peer = ref('');
  const drives = ref<HandoffDrive[]>([]);
  const dir = ref('');
  const custom = ref('');
  const passphrase = ref('');
  const result = ref<HandoffExportResult | null>(null);
  const job = useJobProgress();

  const peers = computed(() => overview.value?.peers ?? []);
  watch(peers, (list) => {
    if (!list.some((p) => p.officeCode === peer.value)) peer.value = list[0]?.officeCode ?? '';
  }, { immediate: true });

  async function loadDrives() {
    try {
      drives.value = await call('handoff.drives', {});
      if (!drives.value.some((d) => d.path === dir.value)) dir.value = drives.value[0]?.path ?? '';
    } catch (err) {
      showError(err);
    }
  }
  onMounted(loadDrives);

  /** The folder written to: a drive, a typed folder, or none (the data folder; the browser downloads it). */
  const target = computed(() => custom.value.trim() || dir.value || undefined);
  const canExport = computed(() => !!peer.value && passphrase.value.length >= 8 && !job.running.value);

  async function run() {
    result.value = null;
    try {
      result.value = await job.run((jobId) =>
        call('handoff.export', { peer: peer.value, dir: target.value, passphrase: passphrase.value, jobId, download: true }),
      );
      if (!target.value) download();
      ElMessage.success(`已导出 ${result.value.changes} 条变更，并已读回校验`);
      await onDone();
    } catch (err) {
      showError(err);
    }
  }

  /** The same file, offered to the browser as well (the serve door cannot write to a USB drive itself). */
  function download() {
    if (result.value?.download) saveFile(result.value.download);
  }

  return { peer, peers, drives, dir, custom, passphrase, result, job, target, canExport, loadDrives, run, download };
}
