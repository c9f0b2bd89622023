import { createRouter, createWebHashHistory } from 'vue-router';
import { useOfficeStore } from '@/stores/office';
import { useSafetyStore } from '@/stores/safety';
import { useSessionStore } from '@/stores/session';

/** Hash history: the same build works over http:// and from Electron's custom protocol. */
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/setup', name: 'setup', component: () => import('@/views/setup/index.vue'), meta: { title: '首次设置' } },
    { path: '/login', name: 'login', component: () => import('@/views/login/index.vue'), meta: { title: '选择操作员' } },
    { path: '/recovery', name: 'recovery', component: () => import('@/views/recovery/index.vue'), meta: { title: '从备份恢复' } },
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
        {
          path: 'roster-import',
          name: 'roster-import',
          component: () => import('@/views/roster-import/index.vue'),
          meta: { title: '导入名册', icon: 'Upload' },
        },
        {
          path: 'groups',
          name: 'groups',
          component: () => import('@/views/groups/index.vue'),
          meta: { title: '代表小组', icon: 'Connection' },
        },
        {
          path: 'stations',
          name: 'stations',
          component: () => import('@/views/stations/index.vue'),
          meta: { title: '联络站', icon: 'House' },
        },
        {
          path: 'composition',
          name: 'composition',
          component: () => import('@/views/composition/index.vue'),
          meta: { title: '代表结构统计', icon: 'PieChart' },
        },
        {
          path: 'activities',
          name: 'activities',
          component: () => import('@/views/activities/index.vue'),
          meta: { title: '履职活动', icon: 'Calendar' },
        },
        {
          path: 'scoring',
          name: 'scoring',
          component: () => import('@/views/scoring/index.vue'),
          meta: { title: '履职积分', icon: 'Trophy' },
        },
        {
          path: 'rules',
          name: 'rules',
          component: () => import('@/views/rules/index.vue'),
          meta: { title: '积分规则', icon: 'Setting' },
        },
        {
          path: 'funds',
          name: 'funds',
          component: () => import('@/views/funds/index.vue'),
          meta: { title: '活动经费', icon: 'Money' },
        },
        {
          path: 'subsidy-standards',
          name: 'subsidy-standards',
          component: () => import('@/views/subsidy-standards/index.vue'),
          meta: { title: '补贴标准', icon: 'Tickets' },
        },
        {
          path: 'subsidy-batches',
          name: 'subsidy-batches',
          component: () => import('@/views/subsidy-batches/index.vue'),
          meta: { title: '补贴发放', icon: 'Wallet' },
        },
        {
          path: 'backups',
          name: 'backups',
          component: () => import('@/views/backups/index.vue'),
          meta: { title: '备份与恢复', icon: 'Files' },
        },
        {
          path: 'handoff',
          name: 'handoff',
          component: () => import('@/views/handoff/index.vue'),
          meta: { title: '数据交换', icon: 'Switch' },
        },
        {
          path: 'handoff/conflicts',
          name: 'handoff-conflicts',
          component: () => import('@/views/handoff/conflicts/index.vue'),
          meta: { title: '冲突记录', icon: 'Warning' },
        },
        {
          path: 'handoff/duplicates',
          name: 'handoff-duplicates',
          component: () => import('@/views/handoff/duplicates/index.vue'),
          meta: { title: '重复人员', icon: 'CopyDocument' },
        },
        {
          path: 'audit',
          name: 'audit',
          component: () => import('@/views/audit/index.vue'),
          meta: { title: '操作日志', icon: 'Document' },
        },
        {
          path: 'operators',
          name: 'operators',
          component: () => import('@/views/operators/index.vue'),
          meta: { title: '操作员', icon: 'Avatar' },
        },
      ],
    },
    // Print views stand alone (no menu), sized for paper.
    {
      path: '/print/roster',
      name: 'roster-print',
      component: () => import('@/views/roster-print/index.vue'),
      meta: { title: '打印代表名册' },
    },
    {
      path: '/print/dossier',
      name: 'dossier-print',
      component: () => import('@/views/dossier-print/index.vue'),
      meta: { title: '代表履职档案' },
    },
    {
      path: '/print/subsidy-sheet/:batchId',
      name: 'subsidy-sheet-print',
      component: () => import('@/views/subsidy-sheet-print/index.vue'),
      meta: { title: '签领表' },
    },
    { path: '/:pathMatch(.*)*', redirect: '/roster' },
  ],
});

router.beforeEach(async (to) => {
  // A database that cannot be read at all: only restoring a backup is possible.
  const safety = useSafetyStore();
  await safety.load();
  if (safety.unreadable) return to.name === 'recovery' ? true : { name: 'recovery' };
  if (to.name === 'recovery') return { name: 'roster' };
  const store = useOfficeStore();
  await store.load();
  // App.vue shows the load error; there is nothing to route to until it is fixed.
  if (store.loadError) return true;
  if (!store.office && to.name !== 'setup') return { name: 'setup' };
  if (store.office && to.name === 'setup') return { name: 'roster' };
  // The office has operators: ask who is working before anything else.
  const session = useSessionStore();
  await session.load();
  if (store.office && session.needsLogin && to.name !== 'login') return { name: 'login', query: { redirect: to.fullPath } };
  if (to.name === 'login' && !session.needsLogin) return { name: 'roster' };
  return true;
});

router.afterEach((to) => {
  const title = to.meta.title as string | undefined;
  document.title = title ? `${title} - 人大代表履职管理系统` : '人大代表履职管理系统';
});
