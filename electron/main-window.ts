import { BrowserWindow } from 'electron';
import { APP_URL } from './app-protocol';
import { OPEN_PATH_CHANNEL } from './channels';

/**
 * The one capscope window, and the paths waiting for its page: a path can arrive (command line,
 * macOS open-file, second instance) before the page has loaded, or while no window exists.
 */
export class MainWindow {
  private window: BrowserWindow | null = null;
  private loaded = false;
  private readonly waiting: string[] = [];

  constructor(private readonly preloadPath: string) {}

  get current(): BrowserWindow | null {
    return this.window && !this.window.isDestroyed() ? this.window : null;
  }

  /** Shows the window, creating it when there is none. */
  show(): BrowserWindow {
    const existing = this.current;
    if (existing) {
      if (existing.isMinimized()) existing.restore();
      existing.focus();
      return existing;
    }
    const window = new BrowserWindow({
      width: 1280,
      height: 800,
      minWidth: 800,
      minHeight: 560,
      title: 'capscope',
      backgroundColor: '#f6f7f9',
      show: false,
      webPreferences: {
        contextIsolation: true,
        nodeIntegration: false,
        sandbox: true,
        webSecurity: true,
        preload: this.preloadPath,
        spellcheck: false,
      },
    });
    this.window = window;
    this.loaded = false;
    window.once('ready-to-show', () => window.show());
    window.webContents.on('did-finish-load', () => {
      this.loaded = true;
      this.flush();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    void window.loadURL(APP_URL);
    return window;
  }

  /** Asks the page to open `path`, once it is there to ask. */
  openPath(path: string): void {
    this.waiting.push(path);
    this.show();
    this.flush();
  }

  private flush(): void {
    const window = this.current;
    if (!window || !this.loaded) return;
    for (const path of this.waiting.splice(0)) window.webContents.send(OPEN_PATH_CHANNEL, path);
  }
}
