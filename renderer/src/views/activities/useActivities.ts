import { ElMessage, ElMessageBox } from 'element-plus';
import { onMounted, reactive, ref } from 'vue';
import type { ActivityDetail, ActivityRow, ActivityTypeInfo, Page, SignInImportReport } from '@shared/contract/index';
import type { Level } from '@shared/dictionaries';
import type { Attendance } from '@shared/scoring/activityTypes';
import { call, showError } from '@/api/client';
import { saveFile } from '@/components/files/saveFile';
import { usePaging } from '@/components/list/usePaging';
import { useScoringChoices } from '@/components/scoring/useScoringChoices';

interface ActivityForm {
  id?: string;
  type: string;
  date: string;
  title: string;
  organiser: string;
  place: string;
  level: Level | '';
  township: string;
  note: string;
}

const emptyForm = (): ActivityForm => ({ type: '', date: '', title: '', organiser: '', place: '', level: '', township: '', note: '' });

export function useActivities() {
  const choices = useScoringChoices();
  const types = ref<ActivityTypeInfo[]>([]);
  const filters = reactive({ period: '', type: '', township: '', q: '' });
  const { page, pageSize, search } = usePaging(load);
  const list = ref<Page<ActivityRow>>({ rows: [], total: 0, page: 1, pageSize: 20 });
  const loading = ref(false);

  const formVisible = ref(false);
  const form = reactive<ActivityForm>(emptyForm());

  const peopleVisible = ref(false);
  const detail = ref<ActivityDetail | null>(null);
  const selected = ref<string[]>([]);
  const add = reactive({ groupId: '', stationId: '', township: '', level: '' as Level | '', text: '', attendance: '出席' as Attendance });

  const importVisible = ref(false);
  const importFile = ref<{ name: string; base64: string } | null>(null);
  const importReport = ref<SignInImportReport | null>(null);

  async function load() {
    loading.value = true;
    try {
      list.value = await call('activities.list', {
        period: filters.period || undefined,
        type: filters.type || undefined,
        township: filters.township || undefined,
        q: filters.q.trim() || undefined,
        page: page.value,
        pageSize: pageSize.value,
      });
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }

  function openForm(row?: ActivityRow) {
    Object.assign(form, emptyForm());
    delete form.id;
    if (row) Object.assign(form, { id: row.id, type: row.type, date: row.date, title: row.title, organiser: row.organiser ?? '', place: row.place ?? '', level: row.level ?? '', township: row.township ?? '', note: row.note ?? '' });
    formVisible.value = true;
  }

  async function saveForm() {
    try {
      const fields = { type: form.type, date: form.date, title: form.title, organiser: form.organiser, place: form.place, level: form.level || null, township: form.township, note: form.note };
      if (form.id) await call('activities.update', { id: form.id, ...fields });
      else {
        const { id } = await call('activities.create', fields);
        formVisible.value = false;
        await load();
        await openPeople(id);
        return;
      }
      formVisible.value = false;
      await load();
    } catch (err) {
      showError(err);
    }
  }

  async function remove(row: ActivityRow) {
    try {
      await ElMessageBox.confirm(`删除活动“${row.title}”及其 ${row.participants} 条出勤记录？`, '删除活动', { type: 'warning', confirmButtonText: '删除', cancelButtonText: '取消' });
    } catch {
      return;
    }
    try {
      await call('activities.remove', { id: row.id });
      await load();
    } catch (err) {
      showError(err);
    }
  }

  async function openPeople(id: string) {
    try {
      detail.value = await call('activities.get', { id });
      selected.value = [];
      Object.assign(add, { groupId: '', stationId: '', township: '', level: '', text: '', attendance: '出席' });
      peopleVisible.value = true;
    } catch (err) {
      showError(err);
    }
  }

  async function addPeople() {
    if (!detail.value) return;
    try {
      const r = await call('activities.addParticipants', {
        activityId: detail.value.activity.id,
        groupId: add.groupId || undefined,
        stationId: add.stationId || undefined,
        township: add.township || undefined,
        level: add.level || undefined,
        text: add.text || undefined,
        attendance: add.attendance,
      });
      ElMessage.success(`加入 ${r.added} 人${r.alreadyIn ? `（${r.alreadyIn} 人已在名单中）` : ''}`);
      add.text = '';
      await openPeople(detail.value.activity.id);
      await load();
    } catch (err) {
      showError(err);
    }
  }

  async function setAttendance(attendance: Attendance) {
    if (!detail.value || selected.value.length === 0) return;
    try {
      await call('activities.setAttendance', { activityId: detail.value.activity.id, seatIds: selected.value, attendance });
      await openPeople(detail.value.activity.id);
      await load();
    } catch (err) {
      showError(err);
    }
  }

  async function removePeople() {
    if (!detail.value || selected.value.length === 0) return;
    try {
      await call('activities.removeParticipants', { activityId: detail.value.activity.id, seatIds: selected.value });
      await openPeople(detail.value.activity.id);
      await load();
    } catch (err) {
      showError(err);
    }
  }

  async function runImport(dryRun: boolean) {
    if (!importFile.value) {
      ElMessage.warning('请选择签到表（.xlsx）');
      return;
    }
    try {
      importReport.value = await call('activities.importSignIn', { file: importFile.value, dryRun });
      if (importReport.value.imported) {
        ElMessage.success(`已导入 ${importReport.value.activities.length} 次活动，${importReport.value.participants} 人次`);
        await load();
      }
    } catch (err) {
      showError(err);
    }
  }

  async function template() {
    try {
      saveFile(await call('activities.signInTemplate', {}));
    } catch (err) {
      showError(err);
    }
  }

  onMounted(async () => {
    await choices.loadChoices();
    filters.period = choices.defaultPeriod();
    try {
      types.value = await call('activities.types', {});
    } catch (err) {
      showError(err);
    }
    await load();
  });

  return {
    ...choices,
    types,
    filters,
    page,
    pageSize,
    list,
    loading,
    formVisible,
    form,
    peopleVisible,
    detail,
    selected,
    add,
    importVisible,
    importFile,
    importReport,
    load,
    search,
    openForm,
    saveForm,
    remove,
    openPeople,
    addPeople,
    setAttendance,
    removePeople,
    runImport,
    template,
  };
}
