import { computed, reactive, ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { errorMessage } from '@/api/client';
import { useOfficeStore } from '@/stores/office';
import { useSessionStore } from '@/stores/session';

/** 谁在工作: choose a name (and type its password) before anything else. */
export function useLogin() {
  const session = useSessionStore();
  const office = useOfficeStore();
  const router = useRouter();
  const route = useRoute();
  const form = reactive({ name: '', password: '' });
  const problem = ref<string | null>(null);
  const busy = ref(false);

  const operators = computed(() => session.status?.operators ?? []);
  const chosen = computed(() => operators.value.find((o) => o.name === form.name) ?? null);

  function choose(name: string) {
    form.name = name;
    form.password = '';
    problem.value = null;
  }

  async function submit() {
    problem.value = null;
    if (!form.name) return void (problem.value = '请选择操作员');
    if (chosen.value?.hasPassword && !form.password) return void (problem.value = '请输入密码');
    busy.value = true;
    try {
      await session.login(form.name, form.password);
      const target = typeof route.query.redirect === 'string' ? route.query.redirect : '/roster';
      await router.replace(target);
    } catch (err) {
      problem.value = errorMessage(err);
      form.password = '';
    } finally {
      busy.value = false;
    }
  }

  return { office, form, problem, busy, operators, chosen, choose, submit };
}
