import { ElMessage } from 'element-plus';
import { onMounted, ref } from 'vue';
import { useRouter } from 'vue-router';
import type { BackupInfo, RestoreResult } from '@shared/contract/index';
import { call, showError } from '@/api/client';
import { readFileInput } from '@/components/backup/format';
import { useOfficeStore } from '@/stores/office';
import { useSafetyStore } from '@/stores/safety';
import { useSessionStore } from '@/stores/session';

/** The database cannot be read at all: all that is left is choosing a backup and restoring it. */
export function useRecovery() {
  const safety = useSafetyStore();
  const router = useRouter();
  const rows = ref<BackupInfo[]>([]);
  const loading = ref(false);
  const restoreVisible = ref(false);
  const restoring = ref<BackupInfo | null>(null);

  async function load() {
    loading.value = true;
    try {
      const [list] = await Promise.all([call('backup.list', {}), safety.load(true)]);
      rows.value = list;
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }

  function openRestore(row: BackupInfo) {
    restoring.value = row;
    restoreVisible.value = true;
  }

  async function upload(file: File) {
    try {
      const info = await call('backup.upload', { file: await readFileInput(file) });
      await load();
      openRestore(info);
    } catch (err) {
      showError(err);
    }
  }

  async function onRestored(result: RestoreResult) {
    ElMessage.success({ message: `已恢复 ${result.restored.fileName}，数据库已恢复正常。`, duration: 6000 });
    await Promise.all([safety.load(true), useOfficeStore().load(true), useSessionStore().load(true)]);
    await router.replace('/');
  }

  onMounted(load);

  return { safety, rows, loading, restoreVisible, restoring, openRestore, upload, onRestored };
}
