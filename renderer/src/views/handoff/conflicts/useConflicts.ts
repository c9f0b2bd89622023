import { ElMessage, ElMessageBox } from 'element-plus';
import { onMounted, reactive, ref } from 'vue';
import type { ConflictRow } from '@shared/contract/index';
import { call, showError } from '@/api/client';

/** 冲突记录: both values, both offices, the rule; a losing value can be applied again. */
export function useConflicts() {
  const rows = ref<ConflictRow[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const query = reactive({ page: 1, pageSize: 50, open: true });

  async function load() {
    loading.value = true;
    try {
      const page = await call('handoff.conflicts', { page: query.page, pageSize: query.pageSize, open: query.open });
      rows.value = page.rows;
      total.value = page.total;
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }

  async function reapply(row: ConflictRow) {
    try {
      await ElMessageBox.confirm(
        `把${row.entityLabel}“${row.recordLabel}”的${row.fieldLabel}改回“${row.loser.display}”（${row.loser.officeName}的值）？这会作为本单位的一次新修改，随下次数据交换发给对方。`,
        '重新应用落选的值',
        { type: 'warning', confirmButtonText: '重新应用', cancelButtonText: '取消' },
      );
    } catch {
      return;
    }
    try {
      const r = await call('handoff.reapply', { conflictId: row.id });
      ElMessage.success(r.changed ? '已重新应用，下次导出时会发给对方' : '当前已是这个值，无需修改');
      await load();
    } catch (err) {
      showError(err);
    }
  }

  onMounted(load);
  return { rows, total, loading, query, load, reapply };
}
