/**
 * The error taxonomy: every Tencent Cloud error code we know (tencent-api.md §2.2, §3.8, §4.7,
 * §5.4 and the job error codes) mapped to a kind, a retry decision, and what to tell the user in
 * English and Simplified Chinese; plus the factories for failures that happen on our side
 * (network, timeout, cancel, bad HTTP status, unreadable reply, validation, no credentials).
 *
 * The table is data, one readonly record, so the UI and the tests can enumerate it
 * (`knownErrorCodes`, `describeCode`). Codes missing from it fall back by their first segment
 * (`AuthFailure.*`, `RequestLimitExceeded.*` ...) and always show the cloud's own message.
 *
 * Retry policy (tencent-api.md §2.2 and the SDKs' behaviour): rate limits, `JobNumExceed`,
 * internal/unavailable/engine-timeout errors are retryable with backoff; `SignatureExpire` is not
 * (the computer's clock is wrong, a retry fails the same way); no auth, permission, billing or
 * moderation code is retryable.
 */
import { StudioError, type ErrorKind, type Localized } from './errors';

export interface CodeEntry {
  readonly kind: ErrorKind;
  /** True when repeating the same request later is safe and may succeed (see StudioError). */
  readonly retryable: boolean;
  readonly explanation: Localized;
  readonly nextStep: Localized;
  /**
   * Append the cloud's own `Message` to the explanation. Set where the code alone is too vague
   * for the user to act on (e.g. which parameter was wrong).
   */
  readonly quoteCloudMessage?: boolean;
}

export interface CodeDescription extends CodeEntry {
  readonly code: string;
  /** `exact`: the code has its own entry; `category`: matched by its first segment; `unknown`: neither. */
  readonly match: 'exact' | 'category' | 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Wording shared by several entries.

const CONSOLE = {
  hunyuan: {
    en: 'Tencent Hunyuan console (Hunyuan image generation, console.cloud.tencent.com/hunyuan)',
    zh: '腾讯混元大模型控制台（混元生图，console.cloud.tencent.com/hunyuan）',
  },
  aiart: {
    en: 'Image Creation Engine console (aiart, console.cloud.tencent.com/aiart)',
    zh: '大模型图像创作引擎控制台（console.cloud.tencent.com/aiart）',
  },
  mps: {
    en: 'Media Processing Service console (MPS, console.cloud.tencent.com/mps)',
    zh: '媒体处理 MPS 控制台（console.cloud.tencent.com/mps）',
  },
} as const;

const CHECK_KEYS: Localized = {
  en: 'Check the SecretId and SecretKey (API key management in the Tencent Cloud console) and enter them again with "AIGC Image Studio: Set Credentials".',
  zh: '请在腾讯云控制台“API 密钥管理”中核对 SecretId 和 SecretKey，然后运行命令“AIGC Image Studio: Set Credentials”重新填写。',
};

const ATTACH_CAM_POLICY: Localized = {
  en: 'Ask the root (main) account to attach the preset CAM policy for this service (for Tencent Hunyuan, the Hunyuan large-model policy) to your sub-account: Access Management console > Users > Authorize.',
  zh: '请主账号在访问管理（CAM）控制台为该子账号关联本服务的预设策略（混元生图为“腾讯混元大模型”相关策略）：访问管理 > 用户 > 授权。',
};

const TOP_UP: Localized = {
  en: 'Top up the account or buy a resource pack in the Tencent Cloud console (Billing Center), then try again.',
  zh: '请在腾讯云控制台费用中心充值或购买资源包后重试。',
};

const REPHRASE_PROMPT: Localized = {
  en: 'Rephrase the prompt (and the negative prompt) without the sensitive words, then generate again.',
  zh: '请修改提示词（包括反向提示词），去掉可能敏感的内容后重新生成。',
};

const USE_ANOTHER_IMAGE: Localized = {
  en: 'Use another reference image, or change the prompt if the refusal concerns the generated image.',
  zh: '请换一张参考图片；如果被拦截的是生成结果，请修改提示词后重试。',
};

const RETRY_LATER: Localized = {
  en: 'This is usually temporary: the task is retried automatically; if it keeps failing, try again in a few minutes.',
  zh: '这通常是暂时的：任务会自动重试；如果持续失败，请过几分钟再试。',
};

const FIX_REQUEST: Localized = {
  en: 'Check the model, size, style and reference images of the task against the model\'s limits and try again; if the settings look right, please report it as a bug.',
  zh: '请对照该模型的限制检查任务的模型、分辨率、风格和参考图片后重试；如果设置无误，请反馈此问题。',
};

const REPORT_BUG: Localized = {
  en: 'This points to a bug in AIGC Image Studio: please report it with the code and RequestId below.',
  zh: '这说明 AIGC Image Studio 可能存在缺陷，请附上下方的错误码和 RequestId 反馈给我们。',
};

const CHECK_ENDPOINT: Localized = {
  en: 'Check the endpoint and region settings of AIGC Image Studio (a custom endpoint must point at Tencent Cloud).',
  zh: '请检查 AIGC Image Studio 的接入点（endpoint）和地域设置（自定义接入点必须指向腾讯云）。',
};

const PICK_ANOTHER_MODEL: Localized = {
  en: 'Choose another model (in the settings or with "Generate with Options"), or update the extension.',
  zh: '请选择其他模型（在设置中或通过 “Generate with Options” 命令），或更新扩展。',
};

const WAIT_FOR_QUEUE: Localized = {
  en: 'Nothing to do: the extension slows down and retries automatically.',
  zh: '无需操作：扩展会自动放慢速度并重试。',
};

// Entries used by several codes (same meaning, different services or spellings).

const SERVER_RETRY: CodeEntry = {
  kind: 'server',
  retryable: true,
  explanation: {
    en: 'Tencent Cloud had an internal error while processing the request.',
    zh: '腾讯云处理请求时发生内部错误。',
  },
  nextStep: RETRY_LATER,
};

const ENGINE_TIMEOUT: CodeEntry = {
  kind: 'server',
  retryable: true,
  explanation: {
    en: 'The image engine timed out while processing the request; it is probably busy.',
    zh: '图像生成引擎处理超时，可能正处于繁忙状态。',
  },
  nextStep: RETRY_LATER,
};

const TEXT_REFUSED: CodeEntry = {
  kind: 'moderation',
  retryable: false,
  explanation: {
    en: 'Content review refused the prompt: the text was judged to contain sensitive or prohibited content.',
    zh: '提示词未通过内容审核：文本被判定包含敏感或违规内容。',
  },
  nextStep: REPHRASE_PROMPT,
};

const IMAGE_REFUSED: CodeEntry = {
  kind: 'moderation',
  retryable: false,
  explanation: {
    en: 'Content review refused an image: the reference image or the generated image may contain sensitive content.',
    zh: '图片未通过内容审核：参考图片或生成的图片可能包含敏感内容。',
  },
  nextStep: USE_ANOTHER_IMAGE,
};

const LOGO_OR_IMAGE_DOWNLOAD_FAILED: CodeEntry = {
  kind: 'invalid',
  retryable: false,
  explanation: {
    en: 'Tencent Cloud could not download an image given by URL (a reference image or the custom watermark logo).',
    zh: '腾讯云无法下载以 URL 提供的图片（参考图片或自定义水印图）。',
  },
  nextStep: {
    en: 'Make sure the image URL is public and reachable from the internet, or use a local image file instead.',
    zh: '请确认图片 URL 可公开访问，或改用本地图片文件。',
  },
  quoteCloudMessage: true,
};

const SERVICE_NOT_OPENED: CodeEntry = {
  kind: 'billing',
  retryable: false,
  explanation: {
    en: 'The image service is not activated for this Tencent Cloud account (its billing state is unknown).',
    zh: '该腾讯云账号尚未开通此图像服务（计费状态未知）。',
  },
  nextStep: {
    en: `Activate the service in the Tencent Cloud console: ${CONSOLE.hunyuan.en} for Hunyuan models, or ${CONSOLE.aiart.en} for aiart models. Then try again.`,
    zh: `请在腾讯云控制台开通服务：混元模型请前往${CONSOLE.hunyuan.zh}，aiart 模型请前往${CONSOLE.aiart.zh}，开通后重试。`,
  },
};

const PACK_EXHAUSTED: CodeEntry = {
  kind: 'billing',
  retryable: false,
  explanation: {
    en: 'The resource pack of this service is used up, and pay-as-you-go billing is not enabled.',
    zh: '该服务的资源包余量已用尽，且未开通后付费。',
  },
  nextStep: {
    en: 'Buy a resource pack or enable pay-as-you-go billing in the service\'s Tencent Cloud console, then try again.',
    zh: '请在该服务的腾讯云控制台购买资源包或开通后付费，然后重试。',
  },
};

const IN_ARREARS: CodeEntry = {
  kind: 'billing',
  retryable: false,
  explanation: {
    en: 'The Tencent Cloud account is in arrears (overdue payment), so the service is suspended.',
    zh: '腾讯云账号已欠费，服务已暂停。',
  },
  nextStep: TOP_UP,
};

const PERMISSION_DENIED: CodeEntry = {
  kind: 'permission',
  retryable: false,
  explanation: {
    en: 'This (sub-)account is not allowed to call the action: it lacks the CAM policy for the service.',
    zh: '当前（子）账号无权调用该接口：缺少该服务的 CAM 访问策略。',
  },
  nextStep: ATTACH_CAM_POLICY,
};

const INVALID_PARAMETER: CodeEntry = {
  kind: 'invalid',
  retryable: false,
  explanation: {
    en: 'Tencent Cloud rejected a parameter of the request.',
    zh: '腾讯云拒绝了请求中的某个参数。',
  },
  nextStep: FIX_REQUEST,
  quoteCloudMessage: true,
};

const RATE_LIMITED: CodeEntry = {
  kind: 'rateLimit',
  retryable: true,
  explanation: {
    en: 'Too many requests per second were sent to this action (the limit is per account, action and region).',
    zh: '对该接口的请求频率超过限制（按账号、接口和地域计算）。',
  },
  nextStep: WAIT_FOR_QUEUE,
};

// ---------------------------------------------------------------------------------------------
// The table.

export const ERROR_CATALOG: Readonly<Record<string, CodeEntry>> = Object.freeze({
  // --- Authentication (§2.2) --------------------------------------------------------------
  'AuthFailure.InvalidAuthorization': {
    kind: 'auth',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud could not parse the request\'s Authorization header.',
      zh: '腾讯云无法解析请求的 Authorization 签名头。',
    },
    nextStep: REPORT_BUG,
  },
  'AuthFailure.InvalidSecretId': {
    kind: 'auth',
    retryable: false,
    explanation: {
      en: 'The SecretId is not a valid Tencent Cloud API key (wrong key type or a typo).',
      zh: 'SecretId 不是有效的腾讯云 API 密钥（密钥类型不对或填写有误）。',
    },
    nextStep: CHECK_KEYS,
  },
  'AuthFailure.MFAFailure': {
    kind: 'auth',
    retryable: false,
    explanation: {
      en: 'Multi-factor authentication (MFA) failed for this account.',
      zh: '该账号的多因子认证（MFA）校验失败。',
    },
    nextStep: {
      en: 'Check the account\'s MFA settings in the Tencent Cloud console, or use an API key that does not require MFA for API calls.',
      zh: '请在腾讯云控制台检查账号的 MFA 设置，或改用调用 API 时无需 MFA 的密钥。',
    },
  },
  'AuthFailure.SecretIdNotFound': {
    kind: 'auth',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud does not know this SecretId: the key does not exist, was deleted or disabled, or was copied with extra spaces.',
      zh: '腾讯云找不到该 SecretId：密钥不存在、已被删除或禁用，或复制时带了多余空格。',
    },
    nextStep: CHECK_KEYS,
  },
  'AuthFailure.SignatureExpire': {
    kind: 'auth',
    retryable: false,
    explanation: {
      en: 'The request signature has expired: this computer\'s clock differs from the real time by more than 5 minutes.',
      zh: '请求签名已过期：本机时钟与标准时间相差超过 5 分钟。',
    },
    nextStep: {
      en: 'Correct the computer\'s clock, time zone and date (turn on automatic time synchronisation), then try again.',
      zh: '请校准本机的时钟、时区和日期（开启自动同步时间）后重试。',
    },
  },
  'AuthFailure.SignatureFailure': {
    kind: 'auth',
    retryable: false,
    explanation: {
      en: 'The request signature does not match: usually the SecretKey is wrong or does not belong to the SecretId.',
      zh: '请求签名校验失败：通常是 SecretKey 填写错误，或与 SecretId 不是同一对密钥。',
    },
    nextStep: CHECK_KEYS,
  },
  'AuthFailure.TokenFailure': {
    kind: 'auth',
    retryable: false,
    explanation: {
      en: 'The temporary credentials (session token) are invalid or have expired.',
      zh: '临时凭证（会话 Token）无效或已过期。',
    },
    nextStep: {
      en: 'Get new temporary credentials and enter them with "AIGC Image Studio: Set Credentials" (or update TENCENTCLOUD_SESSION_TOKEN), or use a permanent API key.',
      zh: '请获取新的临时凭证，并运行命令“AIGC Image Studio: Set Credentials”重新填写（或更新环境变量 TENCENTCLOUD_SESSION_TOKEN），也可以改用永久密钥。',
    },
  },
  'AuthFailure.UnauthorizedOperation': PERMISSION_DENIED,
  UnauthorizedOperation: PERMISSION_DENIED,
  IpInBlacklist: {
    kind: 'permission',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud refused the request because this computer\'s IP address is on the account\'s blocklist.',
      zh: '本机 IP 地址在该账号的 IP 黑名单中，腾讯云拒绝了请求。',
    },
    nextStep: {
      en: 'Ask the account administrator to review the API key\'s IP restrictions in Access Management (CAM).',
      zh: '请联系账号管理员在访问管理（CAM）中检查该密钥的 IP 访问限制。',
    },
  },
  IpNotInWhitelist: {
    kind: 'permission',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud refused the request because this computer\'s IP address is not on the account\'s allowlist.',
      zh: '本机 IP 地址不在该账号的 IP 白名单中，腾讯云拒绝了请求。',
    },
    nextStep: {
      en: 'Ask the account administrator to add this IP address to the API key\'s allowlist in Access Management (CAM).',
      zh: '请联系账号管理员在访问管理（CAM）中把本机 IP 加入该密钥的白名单。',
    },
  },

  // --- Content review ---------------------------------------------------------------------
  'OperationDenied.TextIllegalDetected': TEXT_REFUSED,
  'OperationDenied.ImageIllegalDetected': IMAGE_REFUSED,
  'FailedOperation.ModerationFailed': {
    kind: 'moderation',
    retryable: false,
    explanation: {
      en: 'Content review refused the request: the prompt or the image was judged to contain sensitive content.',
      zh: '请求未通过内容审核：提示词或图片被判定包含敏感内容。',
    },
    nextStep: {
      en: 'Rephrase the prompt without the sensitive words, or use another image, then generate again.',
      zh: '请修改提示词、去掉可能敏感的内容，或换一张图片，然后重新生成。',
    },
  },
  'FailedOperation.GenerateImageFailed': {
    kind: 'moderation',
    retryable: false,
    explanation: {
      en: 'Content review refused the generated image: it was judged to contain sensitive content, so it was not delivered.',
      zh: '生成的图片未通过内容审核：被判定包含敏感内容，因此没有返回。',
    },
    nextStep: {
      en: 'Try again (each attempt gives a different image), or change the prompt to steer away from sensitive content.',
      zh: '请重试（每次生成的图片都不同），或修改提示词以避开敏感内容。',
    },
  },
  'InvalidParameter.ViolationContent': {
    kind: 'moderation',
    retryable: false,
    explanation: {
      en: 'Content review refused the input: the prompt or reference image was judged to contain sensitive or prohibited content.',
      zh: '输入内容未通过审核：提示词或参考图片被判定包含敏感或违规内容。',
    },
    nextStep: {
      en: 'Rephrase the prompt without the sensitive words, or use another reference image, then generate again.',
      zh: '请修改提示词、去掉可能敏感的内容，或换一张参考图片，然后重新生成。',
    },
  },

  // --- Service activation, billing and account status -----------------------------------
  'ResourceUnavailable.NotExist': SERVICE_NOT_OPENED,
  'FailedOperation.ServiceNotActivated': {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'Tencent Hunyuan image generation is not activated for this Tencent Cloud account.',
      zh: '该腾讯云账号尚未开通腾讯混元生图服务。',
    },
    nextStep: {
      en: `Activate the service in the ${CONSOLE.hunyuan.en}, then try again.`,
      zh: `请在${CONSOLE.hunyuan.zh}开通服务后重试。`,
    },
  },
  'FailedOperation.InvalidMpsUser': {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'Media Processing Service (MPS) is not activated for this Tencent Cloud account.',
      zh: '该腾讯云账号尚未开通媒体处理（MPS）服务。',
    },
    nextStep: {
      en: `Activate MPS in the ${CONSOLE.mps.en}, then try again.`,
      zh: `请在${CONSOLE.mps.zh}开通服务后重试。`,
    },
  },
  'FailedOperation.FreeResourcePackExhausted': {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'The free quota (the one-time free resource pack) of this service is used up.',
      zh: '该服务的免费额度（一次性免费资源包）已用完。',
    },
    nextStep: {
      en: 'Buy a resource pack or enable pay-as-you-go billing in the service\'s Tencent Cloud console to keep generating.',
      zh: '如需继续生成，请在该服务的腾讯云控制台购买资源包或开通后付费。',
    },
  },
  'FailedOperation.ResourcePackExhausted': PACK_EXHAUSTED,
  'ResourceInsufficient.ChargeResourceExhaust': {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'The paid resources of this service are used up (resource pack or quota exhausted).',
      zh: '该服务的计费资源已耗尽（资源包或额度已用完）。',
    },
    nextStep: TOP_UP,
  },
  'ResourceUnavailable.LowBalance': {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'The Tencent Cloud account balance is too low to pay for this request.',
      zh: '腾讯云账号余额不足，无法支付本次请求。',
    },
    nextStep: TOP_UP,
  },
  'ResourceUnavailable.InArrears': IN_ARREARS,
  'FailedOperation.ServiceStopArrears': IN_ARREARS,
  'ResourceUnavailable.StopUsing': {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'The service is suspended for this Tencent Cloud account (usually because of an overdue payment).',
      zh: '该腾讯云账号的服务已被停用（通常是因为欠费）。',
    },
    nextStep: {
      en: 'Settle the account in the Tencent Cloud console (Billing Center); the service resumes after payment.',
      zh: '请在腾讯云控制台费用中心结清欠款，服务会在缴费后恢复。',
    },
  },
  'FailedOperation.ServiceStop': {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'The service was stopped by the account owner in the Tencent Cloud console.',
      zh: '该服务已被账号所有者在腾讯云控制台中主动停用。',
    },
    nextStep: {
      en: 'Re-enable the service in its Tencent Cloud console, then try again.',
      zh: '请在该服务的腾讯云控制台重新启用后重试。',
    },
  },
  'FailedOperation.UserUnAuthError': {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'The Tencent Cloud account has not completed real-name verification, which the service requires.',
      zh: '该腾讯云账号尚未完成实名认证，而该服务要求实名认证。',
    },
    nextStep: {
      en: 'Complete real-name verification in the Tencent Cloud console (Account Center), then try again.',
      zh: '请在腾讯云控制台账号中心完成实名认证后重试。',
    },
  },
  'FailedOperation.PartnerAccountUnSupport': {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'This service cannot be activated for a partner (reseller) account.',
      zh: '合作伙伴（代理商）账号不能开通该服务。',
    },
    nextStep: {
      en: 'Use a regular Tencent Cloud account, or ask your partner how to get access.',
      zh: '请改用普通腾讯云账号，或咨询您的合作伙伴如何开通。',
    },
  },
  'FailedOperation.SetPayModeExceed': {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'The pay-as-you-go setting was changed too many times this month.',
      zh: '本月切换后付费设置的次数已超过上限。',
    },
    nextStep: {
      en: 'Keep the current billing mode until next month, or buy a resource pack.',
      zh: '请保持当前计费方式至下个月，或购买资源包。',
    },
  },
  'ResourceUnavailable.Delivering': {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'The service\'s resources are still being provisioned for this account (for example right after activation or a purchase).',
      zh: '该账号的服务资源仍在发放中（例如刚开通服务或刚完成购买）。',
    },
    nextStep: {
      en: 'Wait a few minutes, then try again.',
      zh: '请等待几分钟后重试。',
    },
  },
  'ResourcesSoldOut.ChargeStatusException': {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'The billing status of this service is abnormal for the account.',
      zh: '该账号的服务计费状态异常。',
    },
    nextStep: {
      en: 'Check the service and billing status in the Tencent Cloud console; contact Tencent Cloud support if it stays abnormal.',
      zh: '请在腾讯云控制台检查服务开通和计费状态；如持续异常，请联系腾讯云客服。',
    },
  },
  ResourceUnavailable: {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'The service is not available to this account right now (not activated, suspended, or out of resources).',
      zh: '该服务当前对此账号不可用（未开通、已停用或资源不足）。',
    },
    nextStep: {
      en: 'Check the service status, balance and resource packs in the Tencent Cloud console.',
      zh: '请在腾讯云控制台检查服务状态、余额和资源包。',
    },
    quoteCloudMessage: true,
  },
  ResourceInsufficient: {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'Not enough resources are left for this request (quota or resource pack).',
      zh: '可用资源不足以完成本次请求（额度或资源包不足）。',
    },
    nextStep: {
      en: 'Check the balance, quota and resource packs in the Tencent Cloud console.',
      zh: '请在腾讯云控制台检查余额、额度和资源包。',
    },
    quoteCloudMessage: true,
  },
  LimitExceeded: {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'A usage quota of the account was exceeded (this is a quota, not a request-rate limit).',
      zh: '超出了账号的使用配额（这是配额限制，不是请求频率限制）。',
    },
    nextStep: {
      en: 'Check the service\'s quotas in the Tencent Cloud console; raising them may need a purchase or a support ticket.',
      zh: '请在腾讯云控制台查看该服务的配额；提高配额可能需要购买或提交工单。',
    },
    quoteCloudMessage: true,
  },

  // --- Rate and concurrency limits --------------------------------------------------------
  RequestLimitExceeded: RATE_LIMITED,
  'RequestLimitExceeded.UinLimitExceeded': RATE_LIMITED,
  'RequestLimitExceeded.GlobalRegionUinLimitExceeded': RATE_LIMITED,
  'RequestLimitExceeded.IPLimitExceeded': {
    kind: 'rateLimit',
    retryable: true,
    explanation: {
      en: 'Too many requests per second came from this IP address.',
      zh: '来自本机 IP 地址的请求频率超过限制。',
    },
    nextStep: WAIT_FOR_QUEUE,
  },
  'RequestLimitExceeded.JobNumExceed': {
    kind: 'concurrency',
    retryable: true,
    explanation: {
      en: 'Too many jobs are running at once for the account\'s concurrency limit (shared by the root account and its sub-accounts).',
      zh: '同时运行的任务数超过了账号的并发上限（主账号和子账号共享）。',
    },
    nextStep: {
      en: 'Nothing to do: the extension keeps the task queued and submits it when a running job finishes. To run more jobs at once, buy a concurrency add-on pack and raise the concurrency setting.',
      zh: '无需操作：扩展会让任务排队，待正在运行的任务完成后再提交。如需同时运行更多任务，请购买并发叠加包并调高并发设置。',
    },
  },
  'FailedOperation.EngineServerLimitExceeded': {
    kind: 'server',
    retryable: true,
    explanation: {
      en: 'The image engine is over its capacity right now.',
      zh: '图像生成引擎当前请求量超出承载上限。',
    },
    nextStep: RETRY_LATER,
  },

  // --- Server-side and engine failures ----------------------------------------------------
  InternalError: SERVER_RETRY,
  ServiceUnavailable: {
    kind: 'server',
    retryable: true,
    explanation: {
      en: 'The Tencent Cloud service is temporarily unavailable.',
      zh: '腾讯云服务暂时不可用。',
    },
    nextStep: RETRY_LATER,
  },
  'FailedOperation.EngineServerError': {
    kind: 'server',
    retryable: true,
    explanation: {
      en: 'The image engine had an internal error.',
      zh: '图像生成引擎发生内部错误。',
    },
    nextStep: RETRY_LATER,
  },
  'FailedOperation.EngineRequestTimeout': ENGINE_TIMEOUT,
  'FailedOperation.RequestTimeout': ENGINE_TIMEOUT,
  'FailedOperation.InnerError': SERVER_RETRY,
  'FailedOperation.ServerError': SERVER_RETRY,
  'FailedOperation.Unknown': SERVER_RETRY,
  'FailedOperation.ConsoleServerError': SERVER_RETRY,
  'FailedOperation.RpcFail': {
    kind: 'server',
    retryable: true,
    explanation: {
      en: 'An internal call inside Tencent Cloud failed (usually the image algorithm service).',
      zh: '腾讯云内部服务调用失败（通常是图像算法服务）。',
    },
    nextStep: RETRY_LATER,
  },
  FailedOperation: {
    kind: 'server',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud could not complete the operation.',
      zh: '腾讯云未能完成该操作。',
    },
    nextStep: {
      en: 'Try again later; if it keeps failing, contact Tencent Cloud support with the code and RequestId.',
      zh: '请稍后重试；如持续失败，请携带错误码和 RequestId 联系腾讯云客服。',
    },
    quoteCloudMessage: true,
  },
  ResourceInUse: {
    kind: 'server',
    retryable: false,
    explanation: {
      en: 'The resource the request needs is in use.',
      zh: '请求所需的资源正被占用。',
    },
    nextStep: {
      en: 'Wait for the running task to finish, then try again.',
      zh: '请等待正在运行的任务结束后重试。',
    },
    quoteCloudMessage: true,
  },
  ResponseSizeLimitExceeded: {
    kind: 'server',
    retryable: false,
    explanation: {
      en: 'The reply would be larger than Tencent Cloud allows.',
      zh: '返回结果超过了腾讯云允许的大小。',
    },
    nextStep: {
      en: 'Ask for fewer images or a smaller size in one task.',
      zh: '请减少单个任务的图片数量或降低分辨率。',
    },
  },

  // --- Invalid requests: images ----------------------------------------------------------
  'FailedOperation.DownloadError': LOGO_OR_IMAGE_DOWNLOAD_FAILED,
  'FailedOperation.ImageDownloadError': LOGO_OR_IMAGE_DOWNLOAD_FAILED,
  'FailedOperation.ImageDecodeFailed': {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud could not decode an image of the request (reference image or watermark logo): the file is damaged or not in a supported format.',
      zh: '腾讯云无法解码请求中的图片（参考图片或水印图）：文件已损坏或格式不受支持。',
    },
    nextStep: {
      en: 'Use a valid JPEG or PNG image (re-save it with an image editor if needed).',
      zh: '请使用有效的 JPEG 或 PNG 图片（必要时用图片编辑器重新保存）。',
    },
  },
  'FailedOperation.ImageResolutionExceed': {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'The reference image\'s resolution is too large for this model.',
      zh: '参考图片的分辨率超出了该模型的上限。',
    },
    nextStep: {
      en: 'Scale the image down (for style transfer keep each side under 2000 px), then try again.',
      zh: '请缩小图片（风格化建议每边不超过 2000 像素）后重试。',
    },
  },
  'FailedOperation.ImageSizeExceed': {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'The reference image file is too large once encoded (base64) for this model.',
      zh: '参考图片经 base64 编码后超过了该模型允许的大小。',
    },
    nextStep: {
      en: 'Use a smaller or more compressed image (JPEG, lower resolution), then try again.',
      zh: '请使用更小或压缩率更高的图片（如 JPEG、更低分辨率）后重试。',
    },
  },
  'FailedOperation.RequestEntityTooLarge': {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'The request is too large for Tencent Cloud, usually because of the reference images.',
      zh: '请求体过大，通常是参考图片太大所致。',
    },
    nextStep: {
      en: 'Use fewer or smaller reference images, then try again.',
      zh: '请减少参考图片数量或使用更小的图片后重试。',
    },
  },
  RequestSizeLimitExceeded: {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'The request is larger than Tencent Cloud accepts (10 MB), usually because of the reference images.',
      zh: '请求超过了腾讯云允许的大小（10 MB），通常是参考图片太大所致。',
    },
    nextStep: {
      en: 'Use fewer or smaller reference images, then try again.',
      zh: '请减少参考图片数量或使用更小的图片后重试。',
    },
  },
  'InvalidParameterValue.ImageEmpty': {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'The reference image sent to Tencent Cloud was empty.',
      zh: '发送给腾讯云的参考图片为空。',
    },
    nextStep: {
      en: 'Pick a non-empty image file and try again.',
      zh: '请选择一个非空的图片文件后重试。',
    },
  },
  'InvalidParameter.ImageCountLimitExceededError': {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'Too many reference images for this model.',
      zh: '参考图片数量超过了该模型的上限。',
    },
    nextStep: {
      en: 'Remove some reference images and try again.',
      zh: '请减少参考图片后重试。',
    },
    quoteCloudMessage: true,
  },
  'InvalidParameter.ImageProcessingFailureError': {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud could not process the reference image.',
      zh: '腾讯云无法处理该参考图片。',
    },
    nextStep: {
      en: 'Use another image (JPEG or PNG, within the model\'s size limits) and try again.',
      zh: '请换一张图片（JPEG 或 PNG，且符合该模型的尺寸限制）后重试。',
    },
    quoteCloudMessage: true,
  },
  'InvalidParameterValue.ImageRequestError': {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'The reference image in the request is not acceptable (format, size or URL).',
      zh: '请求中的参考图片不符合要求（格式、尺寸或 URL）。',
    },
    nextStep: {
      en: 'Use a JPEG or PNG image within the model\'s size limits and try again.',
      zh: '请使用符合该模型尺寸限制的 JPEG 或 PNG 图片后重试。',
    },
    quoteCloudMessage: true,
  },
  'InvalidParameterValue.UrlIllegal': {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'An image URL in the request is not a valid URL.',
      zh: '请求中的图片 URL 格式不正确。',
    },
    nextStep: {
      en: 'Use a complete http(s) URL, or a local image file instead.',
      zh: '请使用完整的 http(s) URL，或改用本地图片文件。',
    },
  },
  'InvalidParameterValue.LogoParamErr': {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'This model does not support a custom watermark logo.',
      zh: '该模型不支持自定义水印图。',
    },
    nextStep: {
      en: 'Remove the custom watermark for this model (the default "AI generated" mark still applies), or pick another model.',
      zh: '请对该模型取消自定义水印（仍会保留默认的“AI 生成”标识），或选择其他模型。',
    },
  },

  // --- Invalid requests: parameters -------------------------------------------------------
  'InvalidParameterValue.TextLengthExceed': {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'The prompt is longer than this model accepts.',
      zh: '提示词长度超出了该模型的上限。',
    },
    nextStep: {
      en: 'Shorten the prompt (and the negative prompt), then try again.',
      zh: '请缩短提示词（包括反向提示词）后重试。',
    },
  },
  'InvalidParameterValue.StyleConflict': {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'The chosen styles cannot be combined (1xx styles cannot be mixed with other styles).',
      zh: '所选风格不能组合使用（1xx 类风格不能与其他风格混用）。',
    },
    nextStep: {
      en: 'Choose a single style and try again.',
      zh: '请只选择一种风格后重试。',
    },
  },
  'InvalidParameterValue.Model': {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'The requested model does not exist.',
      zh: '所请求的模型不存在。',
    },
    nextStep: PICK_ANOTHER_MODEL,
    quoteCloudMessage: true,
  },
  'InvalidParameterValue.ParameterValueError': INVALID_PARAMETER,
  'InvalidParameter.InvalidParameter': INVALID_PARAMETER,
  InvalidParameter: INVALID_PARAMETER,
  InvalidParameterValue: INVALID_PARAMETER,
  'InvalidParameterValue.Definitions': INVALID_PARAMETER,
  'InvalidParameterValue.Limit': INVALID_PARAMETER,
  'InvalidParameterValue.Type': INVALID_PARAMETER,
  MissingParameter: {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'A required parameter was missing from the request.',
      zh: '请求缺少必填参数。',
    },
    nextStep: REPORT_BUG,
    quoteCloudMessage: true,
  },
  UnknownParameter: {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'The request contained a parameter that this API version does not know.',
      zh: '请求包含该接口版本不认识的参数。',
    },
    nextStep: REPORT_BUG,
    quoteCloudMessage: true,
  },
  InvalidRequest: {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud could not read the request body.',
      zh: '腾讯云无法解析请求体。',
    },
    nextStep: REPORT_BUG,
    quoteCloudMessage: true,
  },
  'FailedOperation.JobNotExist': {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud no longer knows this job: the JobId is wrong or the job is too old to be queried.',
      zh: '腾讯云找不到该任务：JobId 不正确，或任务已超过可查询期限。',
    },
    nextStep: {
      en: 'Start the task again to get a new image.',
      zh: '请重新发起任务以生成新图片。',
    },
  },
  ResourceNotFound: {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud could not find the resource the request refers to (for example a job that no longer exists).',
      zh: '腾讯云找不到请求所指的资源（例如任务已不存在）。',
    },
    nextStep: {
      en: 'Start the task again.',
      zh: '请重新发起任务。',
    },
    quoteCloudMessage: true,
  },

  // --- Wrong action, version, region or protocol ------------------------------------------
  ActionOffline: {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud has taken this API action offline; the model is no longer served.',
      zh: '腾讯云已下线该接口，该模型不再提供服务。',
    },
    nextStep: PICK_ANOTHER_MODEL,
  },
  InvalidAction: {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud does not know this API action at the endpoint that was called.',
      zh: '所调用的接入点不存在该接口。',
    },
    nextStep: CHECK_ENDPOINT,
  },
  NoSuchProduct: {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'The endpoint that was called does not serve this Tencent Cloud product.',
      zh: '所调用的接入点不提供该腾讯云产品。',
    },
    nextStep: CHECK_ENDPOINT,
  },
  NoSuchVersion: {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'The API version sent is not served by this endpoint.',
      zh: '该接入点不支持请求的接口版本。',
    },
    nextStep: CHECK_ENDPOINT,
  },
  UnsupportedRegion: {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'The chosen region does not offer this service (Hunyuan image generation is only served in ap-guangzhou).',
      zh: '所选地域不提供该服务（混元生图仅支持 ap-guangzhou）。',
    },
    nextStep: {
      en: 'Set the region to ap-guangzhou in the AIGC Image Studio settings, then try again.',
      zh: '请在 AIGC Image Studio 设置中将地域改为 ap-guangzhou 后重试。',
    },
  },
  UnsupportedProtocol: {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud does not accept the protocol used (the API requires HTTPS).',
      zh: '腾讯云不接受所用的协议（接口要求 HTTPS）。',
    },
    nextStep: CHECK_ENDPOINT,
  },
  UnsupportedOperation: {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud does not support this operation in the current state or with these settings.',
      zh: '腾讯云在当前状态或设置下不支持该操作。',
    },
    nextStep: FIX_REQUEST,
    quoteCloudMessage: true,
  },
  // --- Ours: a job the cloud reports done, but without a usable image ---------------------
  // (providers/replies.ts raises it from the job's ResultDetails; the cloud's detail is quoted.)
  'Client.NoResultImage': {
    kind: 'server',
    retryable: false,
    explanation: {
      en: 'The job finished but Tencent Cloud returned no usable image.',
      zh: '任务已完成，但腾讯云没有返回可用的图片。',
    },
    nextStep: {
      en: 'Generate again; if it keeps happening, change the prompt (a refused image can also end this way).',
      zh: '请重新生成；如果反复出现，请修改提示词（图片被审核拦截时也可能如此）。',
    },
    quoteCloudMessage: true,
  },
  DryRunOperation: {
    kind: 'invalid',
    retryable: false,
    explanation: {
      en: 'The request was only a dry run: it would have succeeded, but nothing was generated.',
      zh: '该请求只是预检（DryRun）：请求本可成功，但没有生成任何内容。',
    },
    nextStep: REPORT_BUG,
  },
} satisfies Record<string, CodeEntry>);

/**
 * For codes without their own entry, the category is the first segment: `InternalError.DbError`
 * is treated like the bare `InternalError` entry. These categories have no bare code of their
 * own, so they get an entry here.
 */
const CATEGORY_ONLY: Readonly<Record<string, CodeEntry>> = Object.freeze({
  AuthFailure: {
    kind: 'auth',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud rejected the credentials.',
      zh: '腾讯云拒绝了所用的凭证。',
    },
    nextStep: CHECK_KEYS,
  },
  OperationDenied: {
    kind: 'moderation',
    retryable: false,
    explanation: {
      en: 'Tencent Cloud refused the request, usually because content review rejected the prompt or an image.',
      zh: '腾讯云拒绝了该请求，通常是提示词或图片未通过内容审核。',
    },
    nextStep: {
      en: 'Rephrase the prompt or use another image, then generate again.',
      zh: '请修改提示词或换一张图片，然后重新生成。',
    },
  },
  ResourcesSoldOut: {
    kind: 'billing',
    retryable: false,
    explanation: {
      en: 'The service\'s resources are sold out or its billing status is abnormal for this account.',
      zh: '该服务资源已售罄，或该账号的计费状态异常。',
    },
    nextStep: {
      en: 'Check the service and billing status in the Tencent Cloud console.',
      zh: '请在腾讯云控制台检查服务开通和计费状态。',
    },
  },
} satisfies Record<string, CodeEntry>);

const UNKNOWN_CODE: CodeEntry = {
  kind: 'server',
  retryable: false,
  explanation: {
    en: 'Tencent Cloud returned an error this extension does not know yet.',
    zh: '腾讯云返回了本扩展尚未收录的错误。',
  },
  nextStep: {
    en: 'Follow the cloud\'s message if it says what to change; otherwise contact Tencent Cloud support with the code and RequestId.',
    zh: '如果云端提示说明了需要修改什么，请照此处理；否则请携带错误码和 RequestId 联系腾讯云客服。',
  },
};

/** Every code with its own entry, sorted; for tests and for the UI's troubleshooting list. */
export function knownErrorCodes(): string[] {
  return Object.keys(ERROR_CATALOG).sort();
}

/** What we say about a cloud error code: its own entry, its category's, or the unknown-code text. */
export function describeCode(code: string): CodeDescription {
  const exact = ownEntry(ERROR_CATALOG, code);
  if (exact) return { ...exact, code, match: 'exact' };
  // Codes in the table are exact; the cloud's message is shown for any other code, since our text
  // then only names its category.
  const category = code.split('.')[0] ?? '';
  const fallback = ownEntry(ERROR_CATALOG, category) ?? ownEntry(CATEGORY_ONLY, category);
  if (fallback) return { ...fallback, quoteCloudMessage: true, code, match: 'category' };
  return { ...UNKNOWN_CODE, quoteCloudMessage: true, code, match: 'unknown' };
}

/** A record lookup that ignores inherited keys (`constructor`, `toString`...). */
function ownEntry(table: Readonly<Record<string, CodeEntry>>, key: string): CodeEntry | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Keeping secrets out of messages.

const MAX_CLOUD_MESSAGE_CHARS = 300;

/**
 * Masks anything in a free text that looks like a credential. Cloud messages and reply details
 * are not ours, and they end up in notifications and the log: a SecretId (`AKID…`), a
 * signature, `key=value` pairs named like secrets, proxy user:password in a URL, and long
 * opaque tokens (a SecretKey is 32 letters and digits) are replaced by `***`.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/AKID[0-9A-Za-z]{4,}/g, 'AKID***')
    .replace(/(Signature=)[0-9A-Fa-f]{8,}/g, '$1***')
    .replace(/(Credential=)[^\s,;"']+/g, '$1***')
    // A key name followed by a value: keys and tokens are long runs of key characters (so prose
    // such as "SecretId: the key does not exist" stays readable); any password value is masked.
    .replace(
      /\b(secret[_-]?id|secret[_-]?key|session[_-]?token|x-tc-token|token|authorization)(["']?\s*[:=]\s*["']?)(?:TC3-HMAC-SHA256\s+)?[A-Za-z0-9+/=_.*-]{8,}/gi,
      '$1$2***',
    )
    .replace(/\b(password|passwd)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi, '$1$2***')
    .replace(/(\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1***@')
    .replace(/\b(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{24,}\b/g, '***');
}

/** A cloud `Message` made safe and short enough to show. */
function cleanCloudMessage(message: string): string {
  const oneLine = redactSecrets(message).replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_CLOUD_MESSAGE_CHARS ? `${oneLine.slice(0, MAX_CLOUD_MESSAGE_CHARS)}…` : oneLine;
}

function withCloudMessage(explanation: Localized, message: string): Localized {
  if (!message) return explanation;
  return {
    en: `${explanation.en} Tencent Cloud said: "${message}"`,
    zh: `${explanation.zh}腾讯云返回：“${message}”`,
  };
}

// ---------------------------------------------------------------------------------------------
// Factories.

/** A cloud `Response.Error` (or a job's `JobErrorCode`/MPS `FAIL` message) as a StudioError. */
export function cloudError(code: string, message: string, requestId?: string, jobId?: string): StudioError {
  // A failed job can come back without a code (MPS reports only `Message`): call it what the
  // cloud calls a generic failure, so the text and the retry decision stay sensible.
  const effectiveCode = code.trim() || 'FailedOperation';
  const entry = describeCode(effectiveCode);
  const safeMessage = cleanCloudMessage(message);
  return new StudioError({
    kind: entry.kind,
    code: effectiveCode,
    message: safeMessage || effectiveCode,
    requestId,
    jobId,
    retryable: entry.retryable,
    explanation: entry.quoteCloudMessage ? withCloudMessage(entry.explanation, safeMessage) : entry.explanation,
    nextStep: entry.nextStep,
  });
}

/**
 * Names and codes along an error's cause chain (`TypeError > ECONNREFUSED`), never its free
 * text: a transport error's message can quote a URL with proxy credentials or a header, and a
 * code says enough to diagnose. The raw cause is not kept on the StudioError for the same reason.
 */
function summarizeCause(cause: unknown): string {
  const parts: string[] = [];
  let current: unknown = cause;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const { name, code } = current as { name?: unknown; code?: unknown };
    if (typeof name === 'string' && /^[A-Za-z]{1,40}$/.test(name) && name !== 'Error') parts.push(name);
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) parts.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  const unique = parts.filter((part, index) => parts.indexOf(part) === index);
  return unique.length > 0 ? unique.join(' > ') : 'unknown cause';
}

/** What to say when a request may already have been received: it is not sent again by itself. */
const MAY_HAVE_REACHED: Localized = {
  en: 'The request may already have reached Tencent Cloud: if it was a new image job, the job may have been created and will be billed. It is not resent automatically, so you do not pay twice.',
  zh: '请求可能已到达腾讯云：如果这是新建的生成任务，任务可能已被创建并计费。为避免重复扣费，扩展不会自动重发。',
};

const CHECK_CONNECTION: Localized = {
  en: 'Check the internet connection and the proxy setting (VS Code\'s "http.proxy" or the HTTPS_PROXY environment variable), then try again.',
  zh: '请检查网络连接和代理设置（VS Code 的 “http.proxy” 或环境变量 HTTPS_PROXY），然后重试。',
};

const CHECK_BEFORE_RESUBMIT: Localized = {
  en: 'Check the internet connection and the proxy setting ("http.proxy"). Before generating again, look at the usage in the Tencent Cloud console if avoiding a second charge matters.',
  zh: '请检查网络连接和代理设置（“http.proxy”）。如需避免重复扣费，请先在腾讯云控制台查看用量，再重新生成。',
};

/** A transport failure. `mayHaveReachedServer` decides whether a submit may be repeated. */
export function networkError(cause: unknown, mayHaveReachedServer: boolean): StudioError {
  const base: Localized = mayHaveReachedServer
    ? { en: 'The connection to Tencent Cloud broke after the request was sent.', zh: '请求发出后，与腾讯云的连接中断。' }
    : { en: 'Could not connect to Tencent Cloud; the request was not sent.', zh: '无法连接腾讯云，请求未发出。' };
  return new StudioError({
    kind: 'network',
    code: 'Client.NetworkError',
    message: `Network failure (${summarizeCause(cause)})`,
    retryable: !mayHaveReachedServer,
    explanation: mayHaveReachedServer ? joinLocalized(base, MAY_HAVE_REACHED) : base,
    nextStep: mayHaveReachedServer ? CHECK_BEFORE_RESUBMIT : CHECK_CONNECTION,
    mayHaveReachedServer,
  });
}

/**
 * A submit failed after it may have reached the cloud (an HTTP 5xx from a gateway, a reply cut in
 * half): the engine does not send it again, so the user must hear that the job may exist and be
 * billed, not the generic "retried automatically" of the same error on a query. Network errors and
 * timeouts say so already and are returned unchanged, as is anything that certainly did not arrive.
 */
export function submitNotResentError(error: StudioError): StudioError {
  if (!error.mayHaveReachedServer || error.kind === 'network' || error.kind === 'timeout' || error.kind === 'cancelled') return error;
  return new StudioError({
    kind: error.kind,
    code: error.code,
    message: error.message,
    requestId: error.requestId,
    jobId: error.jobId,
    retryable: false,
    explanation: joinLocalized(error.explanation, MAY_HAVE_REACHED),
    nextStep: CHECK_BEFORE_RESUBMIT,
    mayHaveReachedServer: true,
  });
}

/** The proxy answered the CONNECT with an error status: nothing was sent to the cloud. */
export function proxyRefusedError(status: number): StudioError {
  const needsLogin = status === 407;
  return new StudioError({
    kind: 'network',
    code: 'Client.ProxyRefused',
    message: `The proxy refused the tunnel with HTTP ${status}`,
    // A proxy's policy or login does not change between two attempts a second apart.
    retryable: false,
    explanation: {
      en: `The proxy refused to connect to Tencent Cloud (HTTP ${status}${needsLogin ? ': it asks for a login' : ''}); nothing was sent.`,
      zh: `代理服务器拒绝连接腾讯云（HTTP ${status}${needsLogin ? '：要求登录' : ''}），请求未发出。`,
    },
    nextStep: needsLogin
      ? {
          en: 'Put the proxy user name and password in VS Code\'s "http.proxy" setting (http://user:password@host:port) or in HTTPS_PROXY.',
          zh: '请在 VS Code 的 “http.proxy” 设置（http://用户名:密码@主机:端口）或 HTTPS_PROXY 中填写代理的用户名和密码。',
        }
      : {
          en: 'Check the proxy address in "http.proxy" or HTTPS_PROXY, ask the proxy\'s administrator to allow *.tencentcloudapi.com, or list the endpoint in "http.noProxy" / NO_PROXY to connect directly.',
          zh: '请检查 “http.proxy” 或 HTTPS_PROXY 中的代理地址，请代理管理员放行 *.tencentcloudapi.com，或将接入点加入 “http.noProxy” / NO_PROXY 以直接连接。',
        },
    mayHaveReachedServer: false,
  });
}

export function timeoutError(timeoutMs: number, mayHaveReachedServer: boolean): StudioError {
  const seconds = Math.round(timeoutMs / 100) / 10;
  const base: Localized = {
    en: `Tencent Cloud did not answer within ${seconds} s.`,
    zh: `腾讯云在 ${seconds} 秒内没有响应。`,
  };
  return new StudioError({
    kind: 'timeout',
    code: 'Client.Timeout',
    message: `No reply within ${timeoutMs} ms`,
    retryable: !mayHaveReachedServer,
    explanation: mayHaveReachedServer ? joinLocalized(base, MAY_HAVE_REACHED) : base,
    nextStep: mayHaveReachedServer ? CHECK_BEFORE_RESUBMIT : CHECK_CONNECTION,
    mayHaveReachedServer,
  });
}

export function cancelledError(): StudioError {
  return new StudioError({
    kind: 'cancelled',
    code: 'Client.Cancelled',
    message: 'Cancelled',
    retryable: false,
    explanation: {
      en: 'The task was cancelled.',
      zh: '任务已取消。',
    },
    nextStep: {
      en: 'Nothing to do. If the job had already been submitted, it may still finish in the cloud and be billed; run the task again to get its image.',
      zh: '无需操作。如果任务已提交到云端，它仍可能完成并计费；如需图片，请重新运行任务。',
    },
  });
}

interface HttpStatusText {
  readonly kind: ErrorKind;
  readonly explanation: Localized;
  readonly nextStep: Localized;
}

/** Non-200 statuses come from a gateway or proxy, not the API (API errors arrive with 200). */
const HTTP_STATUS_TEXT: Readonly<Record<string, HttpStatusText>> = {
  '407': {
    kind: 'network',
    explanation: { en: 'The proxy asked for authentication.', zh: '代理服务器要求身份验证。' },
    nextStep: {
      en: 'Check the proxy address and its credentials in VS Code\'s "http.proxy" setting or HTTPS_PROXY.',
      zh: '请检查 VS Code 的 “http.proxy” 设置或 HTTPS_PROXY 中的代理地址和认证信息。',
    },
  },
  '413': {
    kind: 'invalid',
    explanation: { en: 'The request was too large for the server.', zh: '请求体过大，服务器拒绝接收。' },
    nextStep: { en: 'Use fewer or smaller reference images, then try again.', zh: '请减少参考图片数量或使用更小的图片后重试。' },
  },
  '429': {
    kind: 'rateLimit',
    explanation: { en: 'The server reported too many requests.', zh: '服务器提示请求过多。' },
    nextStep: WAIT_FOR_QUEUE,
  },
  '4xx': {
    kind: 'server',
    explanation: {
      en: 'The server refused the request with an HTTP error instead of a Tencent Cloud reply.',
      zh: '服务器以 HTTP 错误拒绝了请求，而不是返回腾讯云的应答。',
    },
    nextStep: {
      en: 'Check the endpoint setting and any proxy or firewall between this computer and Tencent Cloud.',
      zh: '请检查接入点设置，以及本机与腾讯云之间的代理或防火墙。',
    },
  },
  '5xx': {
    kind: 'server',
    explanation: {
      en: 'Tencent Cloud or a gateway on the way had a server error.',
      zh: '腾讯云或途经的网关发生了服务器错误。',
    },
    nextStep: RETRY_LATER,
  },
  other: {
    kind: 'server',
    explanation: { en: 'The server gave an unexpected HTTP status.', zh: '服务器返回了意外的 HTTP 状态码。' },
    nextStep: CHECK_ENDPOINT,
  },
};

function httpStatusText(status: number): HttpStatusText {
  const exact = HTTP_STATUS_TEXT[String(status)];
  if (exact) return exact;
  if (status >= 500 && status <= 599) return HTTP_STATUS_TEXT['5xx']!;
  if (status >= 400 && status <= 499) return HTTP_STATUS_TEXT['4xx']!;
  return HTTP_STATUS_TEXT.other!;
}

/** A non-200 HTTP status (the SDK treats these as transport errors; the body is not an envelope). */
export function httpStatusError(status: number, requestId?: string): StudioError {
  const text = httpStatusText(status);
  const statusNote: Localized = { en: `(HTTP ${status})`, zh: `（HTTP ${status}）` };
  return new StudioError({
    kind: text.kind,
    code: `Client.HttpStatus${status}`,
    message: `HTTP ${status}`,
    requestId,
    // A 5xx or 429 is usually transient; whether a submit may be repeated is decided by the
    // caller from mayHaveReachedServer (the request did reach something).
    retryable: status >= 500 || status === 429,
    explanation: joinLocalized(text.explanation, statusNote),
    nextStep: text.nextStep,
    mayHaveReachedServer: true,
  });
}

/** A 200 reply that is not a valid envelope (malformed JSON, missing RequestId, wrong field types). */
export function malformedReplyError(detail: string, requestId?: string): StudioError {
  return new StudioError({
    kind: 'server',
    code: 'Client.MalformedReply',
    message: cleanCloudMessage(detail) || 'Malformed reply',
    requestId,
    retryable: false,
    explanation: {
      en: 'The reply from Tencent Cloud could not be read: it is not in the expected format.',
      zh: '无法解析腾讯云的应答：格式与预期不符。',
    },
    nextStep: {
      en: 'Try again later. If it keeps happening, check the endpoint setting (it must point at Tencent Cloud) and any proxy that could alter replies.',
      zh: '请稍后重试。如果持续出现，请检查接入点设置（必须指向腾讯云）以及可能改写应答的代理。',
    },
    mayHaveReachedServer: true,
  });
}

/**
 * A local check failed before anything was sent (prompt too long, wrong size, bad image...).
 * `code` is ours (`Client.PromptTooLong`); `explanation`/`nextStep` name the limit.
 */
export function validationError(code: string, explanation: { en: string; zh: string }, nextStep: { en: string; zh: string }): StudioError {
  return new StudioError({ kind: 'invalid', code, message: explanation.en, retryable: false, explanation, nextStep });
}

/** No credentials configured (nothing was sent). */
export function missingCredentialsError(): StudioError {
  return new StudioError({
    kind: 'auth',
    code: 'Client.MissingCredentials',
    message: 'No credentials',
    retryable: false,
    explanation: {
      en: 'No Tencent Cloud credentials are set, so nothing was sent.',
      zh: '尚未设置腾讯云凭证，因此没有发送任何请求。',
    },
    nextStep: {
      en: 'Run "AIGC Image Studio: Set Credentials" to enter a SecretId and SecretKey, or set the TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY environment variables.',
      zh: '请运行命令“AIGC Image Studio: Set Credentials”填写 SecretId 和 SecretKey，或设置环境变量 TENCENTCLOUD_SECRET_ID 和 TENCENTCLOUD_SECRET_KEY。',
    },
  });
}

function joinLocalized(first: Localized, second: Localized): Localized {
  return { en: `${first.en} ${second.en}`, zh: `${first.zh}${second.zh}` };
}
