import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { BackupStatus } from '@shared/contract/index';
import { call } from '@/api/client';

/** Is the database sound, and how did today's automatic backup go: read once at start, again after a restore. */
export const useSafetyStore = defineStore('safety', () => {
  const status = ref<BackupStatus | null>(null);

  const damage = computed(() => status.value?.damage ?? null);
  /** Not even readable: only the recovery page makes sense. */
  const unreadable = computed(() => !!damage.value && !damage.value.readable);

  async function load(force = false): Promise<void> {
    if (status.value && !force) return;
    try {
      status.value = await call('backup.status', {});
    } catch {
      status.value = null; // the office store shows why the service cannot be reached
    }
  }

  return { status, damage, unreadable, load };
});
