// The extension's log: one LogOutputChannel ("AIGC Image Studio" in the Output view), so users can
// hand support the RequestIds. Everything written here is first made safe: credentials are masked
// (redactSecrets) and base64 payloads (inline images, reference images) are replaced by their size,
// since they are useless to read and can be megabytes long.
import * as vscode from 'vscode';
import { redactSecrets } from '../core/tencent/error-catalog';

export const LOG_CHANNEL_NAME = 'AIGC Image Studio';

/**
 * Runs of base64 long enough that they cannot be an id or a word: 64 characters is above a SHA-256
 * hex digest and a RequestId, and far below any image.
 */
const BASE64_RUN = /(data:[\w.+-]+\/[\w.+-]+;base64,)?[A-Za-z0-9+/]{64,}={0,2}/g;
/** A run with `/` may be a file path (`/home/me/projects/...`); paths that long without a dot or dash are rare. */
const MIN_RUN_WITH_SLASH = 256;

/** A log line with secrets masked and base64 payloads replaced by `[base64 N chars]`. */
export function sanitizeLogMessage(message: string): string {
  // Base64 first: redactSecrets masks long alphanumeric runs, which would cut a payload into
  // pieces that no longer look like one.
  const withoutPayloads = message.replace(BASE64_RUN, (run: string, dataUrl: string | undefined) =>
    dataUrl || !run.includes('/') || run.length >= MIN_RUN_WITH_SLASH ? `[base64 ${run.length} chars]` : run,
  );
  return redactSecrets(withoutPayloads);
}

export class StudioLog implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  }

  info(message: string): void {
    this.channel.info(sanitizeLogMessage(message));
  }

  warn(message: string): void {
    this.channel.warn(sanitizeLogMessage(message));
  }

  error(message: string): void {
    this.channel.error(sanitizeLogMessage(message));
  }

  /** Reveals the channel in the Output view (a "Show Details" button). */
  show(preserveFocus = true): void {
    this.channel.show(preserveFocus);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
