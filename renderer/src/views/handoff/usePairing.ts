import { ElMessage, ElMessageBox } from 'element-plus';
import { ref } from 'vue';
import type { IdentityPreview } from '@shared/contract/index';
import { call, showError } from '@/api/client';
import { saveFile } from '@/components/files/saveFile';
import { readFileInput } from './format';

/** 配对: give this office's identity file, take the other's after comparing fingerprints by phone. */
export function usePairing(onChanged: () => Promise<void> | void) {
  const busy = ref(false);
  const preview = ref<IdentityPreview | null>(null);
  const previewFile = ref<{ name: string; base64: string } | null>(null);
  const confirmed = ref(false);

  async function downloadOwn() {
    busy.value = true;
    try {
      const file = await call('handoff.identityFile', {});
      saveFile(file);
      ElMessage.success(`已导出本单位身份文件，请交给对方，并电话核对指纹：${file.fingerprint}`);
      await onChanged();
    } catch (err) {
      showError(err);
    } finally {
      busy.value = false;
    }
  }

  async function pick(file: File) {
    busy.value = true;
    try {
      previewFile.value = await readFileInput(file);
      preview.value = await call('handoff.inspectIdentity', { file: previewFile.value });
      confirmed.value = false;
    } catch (err) {
      showError(err);
    } finally {
      busy.value = false;
    }
  }

  async function trust() {
    if (!previewFile.value || !preview.value) return;
    busy.value = true;
    try {
      const t = await call('handoff.trust', { file: previewFile.value, replace: preview.value.keyChanged });
      ElMessage.success(`已与${t.officeName}配对`);
      preview.value = null;
      await onChanged();
    } catch (err) {
      showError(err);
    } finally {
      busy.value = false;
    }
  }

  async function untrust(code: string, name: string) {
    try {
      await ElMessageBox.confirm(`取消与“${name}”的配对后，将不能再导入对方的数据交换包，也不能导出给对方。已交换的数据不受影响。`, '取消配对', {
        type: 'warning',
        confirmButtonText: '取消配对',
        cancelButtonText: '返回',
      });
    } catch {
      return;
    }
    try {
      await call('handoff.untrust', { officeCode: code });
      ElMessage.success('已取消配对');
      await onChanged();
    } catch (err) {
      showError(err);
    }
  }

  return { busy, preview, confirmed, downloadOwn, pick, trust, untrust };
}
