import { ElMessage, ElMessageBox } from 'element-plus';
import { ref } from 'vue';
import { useRouter } from 'vue-router';
import type { RosterFilter } from '@shared/contract/index';
import { call, showError } from '@/api/client';
import { saveFile } from '@/components/files/saveFile';

/** The roster screen's filters as they stand (empty strings = no filter). */
export interface RosterOutputFilters {
  q: string;
  level: string;
  township: string;
  term: string;
  groupId?: string | null;
  stationId?: string | null;
  status: NonNullable<RosterFilter['status']>;
}

function query(f: RosterOutputFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(f)) {
    const v = String(value ?? '').trim();
    if (v) out[key] = v;
  }
  return out;
}

/**
 * 导出Excel and 打印名册 for the roster screen: both take the screen's current
 * filters. The full (unmasked) export asks first and is written to the audit log.
 */
export function useRosterOutput(filters: RosterOutputFilters) {
  const router = useRouter();
  const exporting = ref(false);

  async function exportExcel(unmasked = false) {
    if (unmasked) {
      try {
        await ElMessageBox.confirm(
          '导出的名册将包含完整的公民身份号码和联系电话。请妥善保管文件，不要通过互联网发送。本次导出会记入操作日志。',
          '导出完整信息',
          { type: 'warning', confirmButtonText: '确定导出', cancelButtonText: '取消' },
        );
      } catch {
        return; // cancelled
      }
    }
    exporting.value = true;
    try {
      const f = query(filters);
      const file = await call('reports.rosterWorkbook', {
        q: f.q,
        level: (f.level || undefined) as RosterFilter['level'],
        township: f.township,
        term: f.term,
        groupId: f.groupId,
        stationId: f.stationId,
        status: filters.status,
        unmasked,
      });
      saveFile(file);
      ElMessage.success(`已导出：${file.fileName}`);
    } catch (err) {
      showError(err);
    } finally {
      exporting.value = false;
    }
  }

  function onExportCommand(command: string) {
    void exportExcel(command === 'unmasked');
  }

  function openPrint() {
    void router.push({ name: 'roster-print', query: query(filters) });
  }

  return { exporting, exportExcel, onExportCommand, openPrint };
}
