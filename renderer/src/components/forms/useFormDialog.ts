import type { FormInstance } from 'element-plus';
import { ref, watch, type Ref } from 'vue';
import { showError } from '@/api/client';

/**
 * One form's save: the rules are checked first, `saving` is on while the call
 * runs, and a failure is shown in the clerk's words. True when it went through.
 */
export function useFormSubmit() {
  const formRef = ref<FormInstance>();
  const saving = ref(false);

  async function submit(save: () => Promise<void>): Promise<boolean> {
    if (!(await formRef.value?.validate().catch(() => false))) return false;
    saving.value = true;
    try {
      await save();
      return true;
    } catch (err) {
      showError(err);
      return false;
    } finally {
      saving.value = false;
    }
  }

  return { formRef, saving, submit };
}

/**
 * A dialog around one form. Each time it opens the form is filled afresh and
 * the last opening's messages are cleared; 保存 checks, saves, closes and hands
 * the result to `saved`. A failure leaves the dialog open with the error shown.
 */
export function useFormDialog<T>(
  visible: Ref<boolean>,
  hooks: { fill: () => void; save: () => Promise<T>; saved: (result: T) => void },
) {
  const { formRef, saving, submit } = useFormSubmit();

  watch(visible, (shown) => {
    if (!shown) return;
    hooks.fill();
    formRef.value?.clearValidate();
  });

  async function save() {
    let result: T | undefined;
    const done = await submit(async () => {
      result = await hooks.save();
    });
    if (!done) return;
    visible.value = false;
    hooks.saved(result as T);
  }

  return { formRef, saving, save };
}
