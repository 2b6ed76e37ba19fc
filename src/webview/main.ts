// Entry of the Granule Map webview bundle (dist/webview/main.js): mounts the app on #app.
import { GranuleMapApp } from './app';
import { vscodeApi } from './vscode-api';

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
new GranuleMapApp(root, vscodeApi()).start();
