import { ElMessage, type FormInstance, type FormRules } from 'element-plus';
import { reactive, ref } from 'vue';
import { useRouter } from 'vue-router';
import type { OfficeSetupInput } from '@shared/contract/index';
import { showError } from '@/api/client';
import { useOfficeStore } from '@/stores/office';

export function useSetup() {
  const store = useOfficeStore();
  const router = useRouter();
  const formRef = ref<FormInstance>();
  const saving = ref(false);
  const form = reactive<OfficeSetupInput>({ officeType: 'township', officeCode: '', officeName: '' });

  // Mirrors the contract's checks so the clerk sees them while typing; the core checks again.
  const rules: FormRules<OfficeSetupInput> = {
    officeType: [{ required: true, message: '请选择单位类型：县级或乡镇', trigger: 'change' }],
    officeCode: [
      { required: true, message: '请填写行政区划代码', trigger: 'blur' },
      {
        trigger: 'blur',
        validator: (_rule, value: string, done) => {
          const code = (value ?? '').trim();
          if (form.officeType === 'township' && !/^\d{9}(\d{3})?$/.test(code)) {
            done(new Error('乡镇的行政区划代码应为9位或12位数字，例如：430281101'));
          } else if (form.officeType === 'county' && !/^\d{6}$/.test(code)) {
            done(new Error('县级的行政区划代码应为6位数字，例如：430281'));
          } else done();
        },
      },
    ],
    officeName: [
      { required: true, whitespace: true, message: '请填写单位名称，例如：青山镇', trigger: 'blur' },
      { min: 2, max: 40, message: '单位名称应为2至40个字', trigger: 'blur' },
    ],
  };

  function onTypeChange() {
    if (form.officeCode) void formRef.value?.validateField('officeCode');
  }

  async function submit() {
    if (!formRef.value) return;
    const valid = await formRef.value.validate().catch(() => false);
    if (!valid) return;
    saving.value = true;
    try {
      const office = await store.setup({
        officeType: form.officeType,
        officeCode: form.officeCode.trim(),
        officeName: form.officeName.trim(),
      });
      ElMessage.success(`已设置本单位：${office.officeName}`);
      await router.replace({ name: 'roster' });
    } catch (err) {
      showError(err);
    } finally {
      saving.value = false;
    }
  }

  return { formRef, form, rules, saving, onTypeChange, submit };
}
