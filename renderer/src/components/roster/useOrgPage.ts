import { ElMessage, ElMessageBox } from 'element-plus';
import { computed, onMounted, reactive, ref } from 'vue';
import { call, showError } from '@/api/client';
import { usePaging } from '@/components/list/usePaging';
import { ORG_APIS, type OrgKindName, type OrgRow } from './orgApi';

/** The list of groups or stations: filters and paging in SQL, and the dialogs it opens. */
export function useOrgPage(kind: OrgKindName) {
  const api = ORG_APIS[kind];
  const filters = reactive({ q: '', township: '' });
  const { page, pageSize, search } = usePaging(load);
  const rows = ref<OrgRow[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const townships = ref<string[]>([]);

  const formVisible = ref(false);
  const editing = ref<OrgRow | null>(null);
  const membersVisible = ref(false);
  const membersOf = ref<OrgRow | null>(null);

  const filtered = computed(() => !!(filters.q.trim() || filters.township));

  async function load() {
    loading.value = true;
    try {
      const result = await api.list({
        q: filters.q.trim() || undefined,
        township: filters.township || undefined,
        page: page.value,
        pageSize: pageSize.value,
      });
      if (result.rows.length === 0 && result.total > 0 && page.value > 1) {
        page.value = Math.ceil(result.total / pageSize.value);
        return load();
      }
      rows.value = result.rows;
      total.value = result.total;
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }

  function reset() {
    Object.assign(filters, { q: '', township: '' });
    search();
  }

  function openCreate() {
    editing.value = null;
    formVisible.value = true;
  }

  function openEdit(row: OrgRow) {
    editing.value = row;
    formVisible.value = true;
  }

  function openMembers(row: OrgRow) {
    membersOf.value = row;
    membersVisible.value = true;
  }

  async function remove(row: OrgRow) {
    if (row.memberCount > 0) {
      // The core refuses too; saying so here saves a round trip and explains what to do.
      await ElMessageBox.alert(
        `${api.label}“${row.name}”还有 ${row.memberCount} 名在任${api.members}，不能删除。请先在“${api.members}”中将他们全部移出，再删除。`,
        `删除${api.label}`,
        { type: 'warning', confirmButtonText: '知道了' },
      ).catch(() => undefined);
      return;
    }
    try {
      await ElMessageBox.confirm(`确定删除${api.label}“${row.name}”吗？删除记录会保留备查。`, `删除${api.label}`, {
        type: 'warning',
        confirmButtonText: '确定删除',
        cancelButtonText: '取消',
        confirmButtonClass: 'el-button--danger',
      });
    } catch {
      return;
    }
    try {
      await api.remove(row.id);
      ElMessage.success(`已删除${api.label}“${row.name}”`);
      await load();
    } catch (err) {
      showError(err);
    }
  }

  onMounted(async () => {
    void load();
    try {
      townships.value = (await call('roster.choices', {})).townships;
    } catch (err) {
      showError(err);
    }
  });

  return {
    api,
    filters,
    page,
    pageSize,
    rows,
    total,
    loading,
    townships,
    filtered,
    formVisible,
    editing,
    membersVisible,
    membersOf,
    load,
    search,
    reset,
    openCreate,
    openEdit,
    openMembers,
    remove,
  };
}
