// Opens the demo's address in the user's browser, but only where a browser can show it: a desktop
// session (macOS, or an X11/Wayland display), not an SSH shell or a container.
import { spawn } from 'node:child_process';

/** The command that opens a URL here, or undefined when there is no screen (then the user is told the address). */
export function browserCommand(environment: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const hasScreen = platform === 'darwin' ? !environment.SSH_CONNECTION : Boolean(environment.DISPLAY || environment.WAYLAND_DISPLAY);
  if (!hasScreen) return undefined;
  // $BROWSER may list several browsers separated by colons, the first preferred.
  const preferred = environment.BROWSER?.split(':')[0]?.trim();
  return preferred || (platform === 'darwin' ? 'open' : 'xdg-open');
}

/** Starts the browser on `url` and leaves it running: it is the user's browser, not part of the demo. */
export function openInBrowser(command: string, url: string): void {
  const browser = spawn(command, [url], { detached: true, stdio: 'ignore' });
  browser.once('error', (error) => console.log(`[demo] could not open a browser with ${command} (${error.message}); open the address yourself.`));
  browser.unref();
}
