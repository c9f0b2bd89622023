import { ElMessage, ElMessageBox } from 'element-plus';
import { onMounted, reactive, ref } from 'vue';
import type { OperatorRow } from '@shared/contract/index';
import { call, errorMessage, showError } from '@/api/client';
import { useSessionStore } from '@/stores/session';

type PasswordMode = 'keep' | 'set' | 'clear';

interface Form {
  id: string | null;
  name: string;
  note: string;
  passwordMode: PasswordMode;
  password: string;
  again: string;
}

const emptyForm = (): Form => ({ id: null, name: '', note: '', passwordMode: 'set', password: '', again: '' });

export function useOperators() {
  const session = useSessionStore();
  const rows = ref<OperatorRow[]>([]);
  const loading = ref(false);
  const dialogVisible = ref(false);
  const saving = ref(false);
  const problem = ref<string | null>(null);
  const form = reactive<Form>(emptyForm());

  async function load() {
    loading.value = true;
    try {
      rows.value = await call('operators.list', {});
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }

  function openCreate() {
    Object.assign(form, emptyForm());
    problem.value = null;
    dialogVisible.value = true;
  }

  function openEdit(row: OperatorRow) {
    Object.assign(form, { ...emptyForm(), id: row.id, name: row.name, note: row.note ?? '', passwordMode: 'keep' });
    problem.value = null;
    dialogVisible.value = true;
  }

  async function save() {
    problem.value = null;
    const wantsPassword = form.passwordMode === 'set' && form.password !== '';
    if (wantsPassword && form.password !== form.again) return void (problem.value = '两次输入的密码不一致');
    if (form.id && form.passwordMode === 'set' && form.password === '') return void (problem.value = '请填写新密码，或选择“不修改”');
    saving.value = true;
    try {
      if (form.id) {
        await call('operators.update', {
          id: form.id,
          name: form.name,
          note: form.note || null,
          password: form.passwordMode === 'keep' ? undefined : form.passwordMode === 'clear' ? null : form.password,
        });
        ElMessage.success(`已保存操作员“${form.name}”`);
      } else {
        await call('operators.create', { name: form.name, note: form.note || null, password: wantsPassword ? form.password : undefined });
        ElMessage.success(`已新增操作员“${form.name}”。以后打开程序时会先选择操作员。`);
      }
      dialogVisible.value = false;
      await Promise.all([load(), session.load(true)]);
    } catch (err) {
      problem.value = errorMessage(err);
    } finally {
      saving.value = false;
    }
  }

  async function remove(row: OperatorRow) {
    try {
      await ElMessageBox.confirm(`确定删除操作员“${row.name}”吗？操作日志中此人的记录会保留。`, '删除操作员', {
        type: 'warning',
        confirmButtonText: '确定删除',
        cancelButtonText: '取消',
        confirmButtonClass: 'el-button--danger',
      });
    } catch {
      return;
    }
    try {
      await call('operators.remove', { id: row.id });
      ElMessage.success(`已删除操作员“${row.name}”`);
      await Promise.all([load(), session.load(true)]);
    } catch (err) {
      showError(err);
    }
  }

  onMounted(load);

  return { session, rows, loading, dialogVisible, saving, problem, form, openCreate, openEdit, save, remove };
}
