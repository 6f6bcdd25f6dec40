// The Get Started walkthrough (package.json contributes.walkthroughs). VS Code lists it on its
// Welcome page and opens it once by itself when the extension is installed from within a window
// (workbench.welcomePage.walkthroughs.openOnInstall), so the extension never forces it open; this
// command ("Get Started") opens it on demand.
import * as vscode from 'vscode';

/** The walkthrough's id in package.json; VS Code knows it as `<publisher>.<name>#<id>`. */
export const WALKTHROUGH_ID = 'imageStudio.gettingStarted';

export async function openWalkthrough(extensionId: string): Promise<void> {
  // false: in the active editor group, as Help > Welcome does, not to the side.
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${extensionId}#${WALKTHROUGH_ID}`, false);
}
