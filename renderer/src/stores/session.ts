import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { SessionStatus } from '@shared/contract/index';
import { call } from '@/api/client';

/** Who is working (操作员): asked once when the app opens, when the office has operators. */
export const useSessionStore = defineStore('session', () => {
  const status = ref<SessionStatus | null>(null);

  const needsLogin = computed(() => !!status.value && status.value.required && !status.value.loggedIn);
  const operator = computed(() => status.value?.operator ?? '');

  async function load(force = false): Promise<void> {
    if (status.value && !force) return;
    try {
      status.value = await call('session.status', {});
    } catch {
      // The office store reports a dead service; without a session the app still works as the default user.
      status.value = null;
    }
  }

  async function login(name: string, password?: string): Promise<void> {
    status.value = await call('session.login', { name, password: password || undefined });
  }

  async function logout(): Promise<void> {
    status.value = await call('session.logout', {});
  }

  return { status, needsLogin, operator, load, login, logout };
});
