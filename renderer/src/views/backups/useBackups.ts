import { ElMessage } from 'element-plus';
import { onMounted, ref } from 'vue';
import type { BackupInfo, CheckReport, RestoreResult } from '@shared/contract/index';
import { call, showError } from '@/api/client';
import { readFileInput } from '@/components/backup/format';
import { useOfficeStore } from '@/stores/office';
import { useSafetyStore } from '@/stores/safety';
import { useSessionStore } from '@/stores/session';

export function useBackups() {
  const safety = useSafetyStore();
  const rows = ref<BackupInfo[]>([]);
  const loading = ref(false);
  const busy = ref(false);
  /** A folder typed by hand (a USB drive): its backups instead of the usual ones. */
  const folder = ref('');
  const browsing = ref<string | null>(null);

  const restoreVisible = ref(false);
  const restoring = ref<BackupInfo | null>(null);
  const settingsVisible = ref(false);
  const checkVisible = ref(false);
  const checkReport = ref<CheckReport | null>(null);

  async function load() {
    loading.value = true;
    try {
      const [list] = await Promise.all([call('backup.list', browsing.value ? { dir: browsing.value } : {}), safety.load(true)]);
      rows.value = list;
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }

  async function browse() {
    browsing.value = folder.value.trim() || null;
    await load();
  }

  async function stopBrowsing() {
    folder.value = '';
    browsing.value = null;
    await load();
  }

  async function backupNow(toMirror: boolean) {
    busy.value = true;
    try {
      const r = await call('backup.create', { toMirror });
      ElMessage.success(r.mirror ? `已备份，并加密复制到第二备份位置：${r.mirror.fileName}` : `已备份：${r.local.fileName}`);
      await load();
    } catch (err) {
      showError(err);
    } finally {
      busy.value = false;
    }
  }

  async function upload(file: File) {
    busy.value = true;
    try {
      const info = await call('backup.upload', { file: await readFileInput(file) });
      ElMessage.success(`已放入备份文件夹：${info.fileName}`);
      await stopBrowsing();
      openRestore(info);
    } catch (err) {
      showError(err);
    } finally {
      busy.value = false;
    }
  }

  async function runCheck() {
    busy.value = true;
    try {
      checkReport.value = await call('backup.check', {});
      checkVisible.value = true;
    } catch (err) {
      showError(err);
    } finally {
      busy.value = false;
    }
  }

  function openRestore(row: BackupInfo) {
    restoring.value = row;
    restoreVisible.value = true;
  }

  async function onRestored(result: RestoreResult) {
    ElMessage.success({
      message: `已恢复 ${result.restored.fileName}。${result.safetyBackup ? '恢复前的数据已另行备份。' : ''}交接标识已更换。`,
      duration: 6000,
    });
    // Everything the app knew about the database may have changed.
    await Promise.all([useOfficeStore().load(true), useSessionStore().load(true)]);
    await load();
  }

  onMounted(load);

  return {
    safety,
    rows,
    loading,
    busy,
    folder,
    browsing,
    restoreVisible,
    restoring,
    settingsVisible,
    checkVisible,
    checkReport,
    load,
    browse,
    stopBrowsing,
    backupNow,
    upload,
    runCheck,
    openRestore,
    onRestored,
  };
}
