import { ElMessage, ElMessageBox } from 'element-plus';
import { onMounted, reactive, ref } from 'vue';
import type { DuplicateGroup } from '@shared/contract/index';
import { call, showError } from '@/api/client';

/** 重复人员: persons two townships registered with the same ID number, merged at the county. */
export function useDuplicates() {
  const groups = ref<DuplicateGroup[]>([]);
  const loading = ref(false);
  const merging = ref(false);
  /** ID number (masked) → the person kept. */
  const keep = reactive<Record<string, string>>({});

  async function load() {
    loading.value = true;
    try {
      groups.value = await call('handoff.duplicates', {});
      for (const g of groups.value) keep[g.idNumberMasked] ??= g.persons[0]!.id;
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }

  async function merge(group: DuplicateGroup) {
    const kept = group.persons.find((p) => p.id === keep[group.idNumberMasked]);
    if (!kept) return;
    const others = group.persons.filter((p) => p.id !== kept.id);
    try {
      await ElMessageBox.confirm(
        `保留${kept.originName}登记的“${kept.name}”，把${others.map((o) => `${o.originName}登记的记录`).join('、')}并入其中：席位等全部移到保留的人员名下，空缺的信息用另一条补全。合并会随数据交换发到各乡镇。`,
        '合并重复人员',
        { type: 'warning', confirmButtonText: '合并', cancelButtonText: '取消' },
      );
    } catch {
      return;
    }
    merging.value = true;
    try {
      for (const o of others) await call('handoff.merge', { keepId: kept.id, mergeId: o.id });
      ElMessage.success(`已合并“${kept.name}”`);
      await load();
    } catch (err) {
      showError(err);
    } finally {
      merging.value = false;
    }
  }

  onMounted(load);
  return { groups, loading, merging, keep, merge };
}
