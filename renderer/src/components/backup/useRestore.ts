import { computed, ref, watch, type Ref } from 'vue';
import type { BackupInfo, BackupPreview, RestoreResult } from '@shared/contract/index';
import { call, errorMessage } from '@/api/client';

/** The restore dialog's steps: check the file (with the passphrase when it is encrypted), confirm, restore. */
export function useRestore(visible: Ref<boolean>, backup: Ref<BackupInfo | null>, onDone: (r: RestoreResult) => void) {
  const passphrase = ref('');
  const preview = ref<BackupPreview | null>(null);
  const checking = ref(false);
  const restoring = ref(false);
  const problem = ref<string | null>(null);
  const confirmed = ref(false);

  const needsPassphrase = computed(() => !!backup.value?.encrypted);
  const canRestore = computed(
    () =>
      !!preview.value &&
      preview.value.verified &&
      preview.value.sameOffice !== false &&
      preview.value.schemaStatus !== 'newer' &&
      confirmed.value &&
      !restoring.value,
  );

  async function check() {
    if (!backup.value) return;
    checking.value = true;
    problem.value = null;
    preview.value = null;
    try {
      preview.value = await call('backup.preview', { file: backup.value.file, officePassphrase: passphrase.value || undefined });
    } catch (err) {
      problem.value = errorMessage(err);
    } finally {
      checking.value = false;
    }
  }

  async function restore() {
    if (!backup.value || !canRestore.value) return;
    restoring.value = true;
    problem.value = null;
    try {
      const result = await call('backup.restore', {
        file: backup.value.file,
        officePassphrase: passphrase.value || undefined,
        confirm: true,
      });
      visible.value = false;
      onDone(result);
    } catch (err) {
      problem.value = errorMessage(err);
    } finally {
      restoring.value = false;
    }
  }

  watch(visible, (open) => {
    if (!open) return;
    passphrase.value = '';
    preview.value = null;
    problem.value = null;
    confirmed.value = false;
    if (!needsPassphrase.value) void check();
  });

  return { passphrase, preview, checking, restoring, problem, confirmed, needsPassphrase, canRestore, check, restore };
}
