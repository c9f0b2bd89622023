import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, net, protocol, session, type WebContents } from 'electron';
import { METHOD_NAMES } from '../shared/contract/index.js';
import { ensureDailyBackup } from './core/backup/index.js';
import { CoreContext } from './core/context.js';
import { closeAllDatabases } from './core/db/connection.js';
import { createDispatcher } from './core/dispatcher.js';
import { DB_FILE_NAME, defaultDataDir, rendererDir } from './core/paths.js';
import { CONTENT_SECURITY_POLICY } from './serve/server.js';

/**
 * The desktop door. It only translates: IPC in, dispatcher, IPC out. Security
 * follows Electron's checklist: isolated, sandboxed renderer without Node, a
 * custom app:// protocol instead of file://, strict CSP, no navigation away,
 * no new windows, no permissions, and IPC answered only for our own page.
 */
const APP_ORIGIN = 'app://deputy-desk';

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const dataDir = defaultDataDir();
app.setPath('userData', dataDir);

let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  // A second copy would open the same database: hand over to the first and leave.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.whenReady().then(start);
}

function start(): void {
  const dbPath = process.env.DEPUTY_DESK_DB ?? path.join(dataDir, DB_FILE_NAME);
  const ctx = new CoreContext(dbPath);
  const dispatch = createDispatcher(ctx);
  const root = rendererDir();

  protocol.handle('app', (request) => {
    const url = new URL(request.url);
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(root, rel);
    if (url.host !== 'deputy-desk' || !file.startsWith(root + path.sep)) return new Response('forbidden', { status: 403 });
    return net.fetch(pathToFileURL(file).toString()).then((res) => {
      const headers = new Headers(res.headers);
      headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      return new Response(res.body, { status: res.status, headers });
    });
  });

  for (const method of METHOD_NAMES) {
    ipcMain.handle(`api:${method}`, (event, input: unknown) => {
      if (!event.senderFrame || new URL(event.senderFrame.url).origin !== APP_ORIGIN) {
        return { ok: false, error: { code: 'UNAUTHORIZED', message: '拒绝来自非本程序页面的请求' } };
      }
      return dispatch(method, input);
    });
  }

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  Menu.setApplicationMenu(buildMenu());
  createWindow();
  // Today's automatic backup once the window is up; checked hourly for a PC that is never switched off.
  setTimeout(() => ensureDailyBackup(ctx), 2000);
  setInterval(() => ensureDailyBackup(ctx), 3600_000);

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 1024,
    minHeight: 640,
    title: '人大代表履职管理系统',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}

app.on('web-contents-created', (_event, contents: WebContents) => {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => closeAllDatabases());

function buildMenu(): Menu {
  return Menu.buildFromTemplate([
    { label: '文件', submenu: [{ label: '打印…', accelerator: 'CmdOrCtrl+P', click: () => BrowserWindow.getFocusedWindow()?.webContents.print() }, { type: 'separator' }, { label: '退出', role: 'quit' }] },
    {
      label: '编辑',
      submenu: [
        { label: '撤销', role: 'undo' },
        { label: '重做', role: 'redo' },
        { type: 'separator' },
        { label: '剪切', role: 'cut' },
        { label: '复制', role: 'copy' },
        { label: '粘贴', role: 'paste' },
        { label: '全选', role: 'selectAll' },
      ],
    },
    {
      label: '视图',
      submenu: [
        { label: '重新加载', role: 'reload' },
        { type: 'separator' },
        { label: '实际大小', role: 'resetZoom' },
        { label: '放大', role: 'zoomIn' },
        { label: '缩小', role: 'zoomOut' },
        { type: 'separator' },
        { label: '全屏', role: 'togglefullscreen' },
      ],
    },
  ]);
}
