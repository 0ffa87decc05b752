import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  open(): void;
  openRecent(path: string): void;
  about(): void;
  /** File › Export report… (electron/report-export.ts); the item is disabled without it. */
  exportReport?(): void;
}

interface MenuOptions {
  recent: readonly string[];
  /** Reload only makes sense while developing: it throws away the page's state. */
  isDev: boolean;
  isMac: boolean;
  actions: MenuActions;
}

export function buildMenu({ recent, isDev, isMac, actions }: MenuOptions): Menu {
  const recentItems: MenuItemConstructorOptions[] =
    recent.length === 0
      ? [{ label: 'No recent files', enabled: false }]
      : [
          // Labels are file paths: switch off '&' mnemonics so a name is shown as it is.
          ...recent.map((path) => ({ label: path.replaceAll('&', '&&'), click: () => actions.openRecent(path) })),
        ];

  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: actions.open },
        { label: 'Open Recent', submenu: recentItems },
        { type: 'separator' },
        { label: 'Export Report…', accelerator: 'CmdOrCtrl+E', enabled: actions.exportReport !== undefined, click: () => actions.exportReport?.() },
        { type: 'separator' },
        { role: 'close' },
        ...(isMac ? [] : [{ role: 'quit' as const }]),
      ],
    },
    // Without an Edit menu the copy/paste shortcuts do nothing on macOS.
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(isDev ? [{ role: 'reload' as const }] : []),
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
      ],
    },
    {
      role: 'help',
      submenu: [{ label: 'About capscope', click: actions.about }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
