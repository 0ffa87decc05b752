import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient, desktopBridge } from './api-client';
import { App } from './App';
import { adoptTokenFromUrl } from '../transport/web-token';
import '../styles.css';

const bridge = desktopBridge();
// Before anything renders, so the token never lingers in the address bar.
if (!bridge) adoptTokenFromUrl();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App api={createApiClient()} bridge={bridge} />
  </StrictMode>,
);
