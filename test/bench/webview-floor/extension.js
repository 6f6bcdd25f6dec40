// The comparison for the gallery's first-screen figure: a webview view that does the least a
// useful one must (a page with a CSP and a script, a `ready` handshake, one answer from the host,
// one paint). Whatever it takes from the click to that paint is VS Code's own cost of a webview
// view (activating on onView, creating the iframe, starting the webview service worker), which
// every extension's view pays; the gallery's figure above it is ours.
const vscode = require('vscode');
const crypto = require('node:crypto');

exports.activate = (context) => {
  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider('webviewFloor.view', {
      resolveWebviewView(view) {
        const nonce = crypto.randomBytes(16).toString('base64');
        view.webview.options = { enableScripts: true, localResourceRoots: [] };
        view.webview.onDidReceiveMessage((message) => {
          if (message && message.type === 'ready') void view.webview.postMessage({ type: 'paint', cells: 24 });
        });
        view.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';">
</head><body><main id="app"></main><script nonce="${nonce}">
const api = acquireVsCodeApi();
window.addEventListener('message', (event) => {
  const app = document.getElementById('app');
  for (let i = 0; i < event.data.cells; i++) app.append(Object.assign(document.createElement('div'), { textContent: String(i) }));
  requestAnimationFrame(() => { app.dataset.paintedMs = String(performance.now()); });
});
performance.mark('floor:ready');
api.postMessage({ type: 'ready' });
</script></body></html>`;
      },
    }),
  );
};
