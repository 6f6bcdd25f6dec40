/**
 * The codicons our webviews show, and the only ones the .vsix carries: the build (build/codicons.ts)
 * cuts @vscode/codicons' font and stylesheet down to these glyphs, which keeps about 60 KB of the
 * 300 KB .vsix budget (design.md). The page helpers take a `CodiconName`, so an icon missing here is
 * a type error, never a blank square; test/unit/codicons.test.ts checks the class names in the pages'
 * stylesheets and sources against this list, and the built subset against the package.
 *
 * Add a name here to use a new icon (names as in node_modules/@vscode/codicons/dist/codicon.html).
 * Plain data: imported by both page bundles and by the build in Node.
 */
export const CODICON_NAMES = [
  // Task states (src/webview/tasks/format.ts).
  'clock',
  'cloud-upload',
  'loading',
  'cloud-download',
  'pass-filled',
  'error',
  'circle-slash',
  // Actions on a task or an image (task panel and gallery details).
  'go-to-file',
  'folder-opened',
  'markdown',
  'copy',
  'quote',
  'refresh',
  'edit',
  'color-mode',
  'trash',
  'stop-circle',
  // Everything else the pages show: empty states, notes, search, navigation.
  'sparkle',
  'key',
  'watch',
  'warning',
  'info',
  'file-media',
  'search',
  'close',
  'clear-all',
  'arrow-left',
] as const;

export type CodiconName = (typeof CODICON_NAMES)[number];
