import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { OfficeIdentity, OfficeSetupInput } from '@shared/contract/index';
import { OFFICE_TYPE_LABELS } from '@shared/dictionaries';
import { call, errorMessage } from '@/api/client';

/** Who this database belongs to; every page needs it, and it is set once. */
export const useOfficeStore = defineStore('office', () => {
  const office = ref<OfficeIdentity | null>(null);
  const loaded = ref(false);
  /** Set when the office could not be read at all (no token, service gone …). */
  const loadError = ref<string | null>(null);

  const typeLabel = computed(() => (office.value ? OFFICE_TYPE_LABELS[office.value.officeType] : ''));

  async function load(force = false): Promise<void> {
    if (loaded.value && !force) return;
    try {
      office.value = await call('office.get', {});
      loadError.value = null;
      loaded.value = true;
    } catch (err) {
      loadError.value = errorMessage(err);
    }
  }

  async function setup(input: OfficeSetupInput): Promise<OfficeIdentity> {
    office.value = await call('office.setup', input);
    loaded.value = true;
    return office.value;
  }

  return { office, loaded, loadError, typeLabel, load, setup };
});
