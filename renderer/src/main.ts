import * as Icons from '@element-plus/icons-vue';
import ElementPlus from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import 'element-plus/dist/index.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { captureToken } from '@/api/client';
import App from '@/App.vue';
import { router } from '@/router';
import '@/styles.css';

// Before the router reads the URL, so the token never reaches a route.
captureToken();

const app = createApp(App);
for (const [name, component] of Object.entries(Icons)) app.component(name, component);
app.use(createPinia()).use(router).use(ElementPlus, { locale: zhCn });
app.mount('#app');
