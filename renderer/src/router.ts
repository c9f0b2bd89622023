import { createRouter, createWebHashHistory } from 'vue-router';
import { useOfficeStore } from '@/stores/office';

/** Hash history: the same build works over http:// and from Electron's custom protocol. */
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/setup', name: 'setup', component: () => import('@/views/setup/index.vue'), meta: { title: '首次设置' } },
    {
      path: '/',
      component: () => import('@/layouts/MainLayout.vue'),
      redirect: '/roster',
      children: [
        {
          path: 'roster',
          name: 'roster',
          component: () => import('@/views/roster/index.vue'),
          meta: { title: '代表名册', icon: 'UserFilled' },
        },
      ],
    },
    { path: '/:pathMatch(.*)*', redirect: '/roster' },
  ],
});

router.beforeEach(async (to) => {
  const store = useOfficeStore();
  await store.load();
  // App.vue shows the load error; there is nothing to route to until it is fixed.
  if (store.loadError) return true;
  if (!store.office && to.name !== 'setup') return { name: 'setup' };
  if (store.office && to.name === 'setup') return { name: 'roster' };
  return true;
});

router.afterEach((to) => {
  const title = to.meta.title as string | undefined;
  document.title = title ? `${title} - 人大代表履职管理系统` : '人大代表履职管理系统';
});
