/**
 * The errors of downloading and saving a result image, as StudioErrors with an explanation and a
 * next step in English and Simplified Chinese. Local file-system failures have kind `invalid`
 * (they are about the user's folder, not the cloud); `permission` is kept for cloud CAM refusals.
 *
 * URLs in messages are reduced to origin and path: result URLs often carry signed query strings.
 */
import { StudioError, type ErrorKind, type Localized } from '../tencent/errors';

function saveError(kind: ErrorKind, code: string, message: string, explanation: Localized, nextStep: Localized, retryable = false, cause?: unknown): StudioError {
  return new StudioError({ kind, code, message, retryable, explanation, nextStep, cause });
}

export function redactUrl(url: string | URL): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

const megabytes = (bytes: number): string => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

export function downloadTooLargeError(maxBytes: number): StudioError {
  return saveError('invalid', 'Client.DownloadTooLarge', `Result image exceeds ${maxBytes} bytes`,
    { en: `The result image is larger than the ${megabytes(maxBytes)} limit, so it was not saved.`, zh: `结果图片超过 ${megabytes(maxBytes)} 的大小上限，未保存。` },
    { en: 'Choose a smaller resolution and generate again.', zh: '请选择较小的分辨率后重新生成。' });
}

export function notAnImageError(detail: string): StudioError {
  return saveError('server', 'Client.NotAnImage', `The result is not an image: ${detail}`,
    { en: `The service returned something that is not a PNG, JPEG, WebP, BMP or TIFF image (${detail}).`, zh: `服务返回的内容不是 PNG、JPEG、WebP、BMP 或 TIFF 图片（${detail}）。` },
    { en: 'Try again; if it keeps happening, check the proxy settings: a proxy or captive portal may be answering instead.', zh: '请重试；如果反复出现，请检查代理设置：可能是代理或认证页面代替服务作了回应。' });
}

export function resultExpiredError(expiresAt: number): StudioError {
  const when = new Date(expiresAt).toISOString();
  return saveError('invalid', 'Client.ResultExpired', `Result URL expired at ${when}`,
    { en: `The result's download link expired at ${when}; the service keeps results only for a limited time.`, zh: `结果的下载链接已于 ${when} 过期；服务只在有限时间内保留结果。` },
    { en: 'Generate the image again.', zh: '请重新生成图片。' });
}

export function downloadFailedError(status: number, url: string): StudioError {
  const retryable = status >= 500 || status === 429;
  return saveError('server', 'Client.DownloadFailed', `HTTP ${status} from ${redactUrl(url)}`,
    { en: `Downloading the result image failed with HTTP status ${status}.`, zh: `下载结果图片失败，HTTP 状态码 ${status}。` },
    retryable ? { en: 'Try again in a moment.', zh: '请稍后重试。' } : { en: 'Generate the image again.', zh: '请重新生成图片。' },
    retryable);
}

export function downloadTruncatedError(received: number, expected: number | undefined, cause?: unknown): StudioError {
  const detail = expected === undefined ? `connection ended after ${received} bytes` : `${received} of ${expected} bytes arrived`;
  return saveError('network', 'Client.DownloadTruncated', `Incomplete download: ${detail}`,
    { en: `The result image did not arrive completely (${detail}).`, zh: `结果图片未完整下载（${detail}）。` },
    { en: 'Check the network connection and try again.', zh: '请检查网络连接后重试。' },
    true, cause);
}

export function insecureUrlError(url: string): StudioError {
  return saveError('invalid', 'Client.InsecureUrl', `Refused to download from ${redactUrl(url)}`,
    { en: 'The result link is not HTTPS (plain HTTP is allowed only on this computer), so it was not downloaded.', zh: '结果链接不是 HTTPS（仅本机地址允许 HTTP），因此未下载。' },
    { en: 'Check the endpoint setting: it must use https.', zh: '请检查 endpoint 设置：必须使用 https。' });
}

export function redirectRefusedError(from: string, to: string): StudioError {
  return saveError('invalid', 'Client.RedirectRefused', `Refused redirect from ${redactUrl(from)} to ${redactUrl(to)}`,
    { en: 'The result link redirected to another scheme or an insecure address, which is not followed.', zh: '结果链接重定向到其他协议或不安全的地址，已拒绝跟随。' },
    { en: 'Check the proxy and endpoint settings, then generate again.', zh: '请检查代理和 endpoint 设置后重新生成。' });
}

export function tooManyRedirectsError(max: number): StudioError {
  return saveError('invalid', 'Client.TooManyRedirects', `More than ${max} redirects`,
    { en: `The result link redirected more than ${max} times.`, zh: `结果链接重定向超过 ${max} 次。` },
    { en: 'Check the proxy and endpoint settings, then generate again.', zh: '请检查代理和 endpoint 设置后重新生成。' });
}

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A failure to create or write files in the output folder, by its errno code. */
export function fileSystemError(error: unknown, folder: string): StudioError {
  const code = errnoCode(error);
  const message = `${code ?? 'Error'} writing in ${folder}`;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return saveError('invalid', 'Client.DiskFull', message,
      { en: `The disk holding ${folder} is full, so the image was not saved.`, zh: `${folder} 所在磁盘已满，图片未保存。` },
      { en: 'Free some disk space, or choose another output folder, and generate again.', zh: '请释放磁盘空间或选择其他输出文件夹，然后重新生成。' }, false, error);
  }
  if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
    return saveError('invalid', 'Client.ReadOnlyFolder', message,
      { en: `The output folder ${folder} cannot be written to (read-only or no permission).`, zh: `输出文件夹 ${folder} 无法写入（只读或没有权限）。` },
      { en: 'Choose a writable output folder in the extension settings.', zh: '请在扩展设置中选择可写的输出文件夹。' }, false, error);
  }
  if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'ENOENT') {
    return saveError('invalid', 'Client.FolderUnavailable', message,
      { en: `The output folder ${folder} cannot be created: part of its path is a file, or missing.`, zh: `无法创建输出文件夹 ${folder}：路径中有一部分是文件或不存在。` },
      { en: 'Choose another output folder in the extension settings.', zh: '请在扩展设置中选择其他输出文件夹。' }, false, error);
  }
  return saveError('invalid', 'Client.SaveFailed', message,
    { en: `The image could not be saved in ${folder}.`, zh: `图片无法保存到 ${folder}。` },
    { en: 'Check the output folder and try again.', zh: '请检查输出文件夹后重试。' }, false, error);
}
