// `imageStudio.checkConnection`: does the key work, is it allowed, is each service activated? One
// harmless query per service for a job id that cannot exist. A "no such job" answer proves the
// signature, the key and the CAM permission all passed, and nothing is created, so nothing is
// billed (a test counts the simulated cloud's submits). Auth, permission and activation failures
// come back as their own codes before the job is looked up.
import * as vscode from 'vscode';
import type { ApiCall } from '../core/providers/types';
import type { CloudCaller } from '../core/tencent/caller';
import { redactSecrets } from '../core/tencent/error-catalog';
import { StudioError, type Localized } from '../core/tencent/errors';
import { SERVICES, type ServiceId } from '../core/tencent/services';
import { type CredentialSource, type CredentialStore, secretIdHint } from './credentials';
import type { StudioLog } from './log';
import type { StudioSettings } from './settings';

export type ConnectionStatus = 'ok' | 'badCredentials' | 'noPermission' | 'notActivated' | 'unreachable' | 'error';

export interface ServiceCheck {
  service: ServiceId;
  status: ConnectionStatus;
  code?: string;
  requestId?: string;
  /** Localised: what the answer means and, when something is wrong, what to do. */
  message: string;
}

export interface ConnectionReport {
  /** Where the requests went: the endpoint setting's origin, or the services' own domains. */
  endpoint: string;
  region: string;
  results: ServiceCheck[];
  /** Which credentials were used (filled in by the command, which knows the store). */
  credentials?: { source: CredentialSource; secretIdHint: string };
}

/** An id no job can have: real ids are numeric or `<digits>-…` strings the service issued. */
const IMPOSSIBLE_JOB_ID = 'aigc-image-studio-connection-check-0000';

/** Read-only actions: each needs a valid, permitted key for its service and creates nothing. */
const PROBES: readonly ApiCall[] = [
  { service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: IMPOSSIBLE_JOB_ID } },
  { service: 'aiart', action: 'QueryTextToImageJob', params: { JobId: IMPOSSIBLE_JOB_ID } },
  { service: 'mps', action: 'DescribeAigcImageTask', params: { TaskId: IMPOSSIBLE_JOB_ID } },
];

const SERVICE_NAMES: Readonly<Record<ServiceId, string>> = { hunyuan: 'Hunyuan', aiart: 'aiart', mps: 'MPS' };

/** The "not activated" answer of each service (tencent-api.md §3.8, §4.7, §5.4). */
const NOT_ACTIVATED_CODES = new Set(['FailedOperation.ServiceNotActivated', 'ResourceUnavailable.NotExist', 'FailedOperation.InvalidMpsUser']);

/** Answers that mean "your request was fine, there is just no such job". */
function isNoSuchJob(code: string): boolean {
  return (
    code === 'FailedOperation.JobNotExist' ||
    code.startsWith('ResourceNotFound') ||
    code === 'InvalidParameter' ||
    code.startsWith('InvalidParameter.') ||
    code === 'InvalidParameterValue' ||
    code.startsWith('InvalidParameterValue.')
  );
}

function classify(error: StudioError): ConnectionStatus {
  if (NOT_ACTIVATED_CODES.has(error.code)) return 'notActivated';
  if (error.kind === 'permission') return 'noPermission';
  // A wrong clock is not a wrong key: SignatureExpire stays an 'error' with its own advice.
  if (error.kind === 'auth' && error.code !== 'AuthFailure.SignatureExpire') return 'badCredentials';
  if (isNoSuchJob(error.code)) return 'ok';
  if (error.kind === 'network' || error.kind === 'timeout') return 'unreachable';
  return 'error';
}

function localized(text: Localized): string {
  return vscode.env.language.toLowerCase().startsWith('zh') ? text.zh : text.en;
}

async function checkService(caller: CloudCaller, probe: ApiCall): Promise<ServiceCheck> {
  try {
    const reply = await caller.call(probe);
    // Some day a service may answer a made-up id with an empty job instead of an error: still proof.
    return { service: probe.service, status: 'ok', requestId: reply.requestId, message: okMessage() };
  } catch (error) {
    if (!(error instanceof StudioError)) {
      return { service: probe.service, status: 'error', message: redactSecrets(String(error)) };
    }
    const status = classify(error);
    return {
      service: probe.service,
      status,
      code: error.code,
      requestId: error.requestId,
      message: status === 'ok' ? okMessage() : `${localized(error.explanation)} ${localized(error.nextStep)}`,
    };
  }
}

function okMessage(): string {
  return vscode.l10n.t('The credentials were accepted and the service answered (no job was created).');
}

/** The endpoint requests go to, as the user should see it. */
function describeEndpoint(settings: StudioSettings): string {
  return settings.endpoint ?? PROBES.map((probe) => `https://${SERVICES[probe.service].host}`).join(', ');
}

/**
 * Queries each service once, in parallel, through `caller`, which must be built from `settings`
 * (the report names their endpoint and region as the ones used).
 */
export async function checkConnection(caller: CloudCaller, settings: StudioSettings): Promise<ConnectionReport> {
  const results = await Promise.all(PROBES.map((probe) => checkService(caller, probe)));
  return { endpoint: describeEndpoint(settings), region: settings.region, results };
}

// ---------------------------------------------------------------------------------------------
// The command.

/**
 * `imageStudio.checkConnection`: runs the check with a progress notification, logs every answer
 * with its RequestId, shows the outcome, and resolves to the report (the command's result, which
 * the integration tests read). The notification is not awaited, so the command never waits for a
 * click; its buttons offer the next step (details in the log, set credentials, settings).
 * `caller` must follow the current settings (endpoint, region, timeout, proxy); `credentials`, when
 * given, lets the report say which key was used.
 */
export async function checkConnectionCommand(
  caller: CloudCaller,
  settings: StudioSettings,
  log: StudioLog,
  credentials?: CredentialStore,
): Promise<ConnectionReport> {
  // Read before the check, so the report names the key the check actually used.
  const used = await credentials?.get();
  const source = await credentials?.source();
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('AIGC Image Studio: checking the connection to Tencent Cloud…') },
    () => checkConnection(caller, settings),
  );
  if (used && source) report.credentials = { source, secretIdHint: secretIdHint(used.secretId) };
  logReport(report, log);
  void showConnectionReport(report, log);
  return report;
}

function statusWord(status: ConnectionStatus): string {
  switch (status) {
    case 'ok':
      return vscode.l10n.t('OK');
    case 'badCredentials':
      return vscode.l10n.t('credentials rejected');
    case 'noPermission':
      return vscode.l10n.t('no permission');
    case 'notActivated':
      return vscode.l10n.t('service not activated');
    case 'unreachable':
      return vscode.l10n.t('unreachable');
    case 'error':
      return vscode.l10n.t('error');
  }
}

function sourceWords(report: ConnectionReport): string {
  if (!report.credentials) return vscode.l10n.t('no credentials');
  return report.credentials.source === 'secretStorage'
    ? vscode.l10n.t('stored credentials, SecretId {0}', report.credentials.secretIdHint)
    : vscode.l10n.t('credentials from environment variables, SecretId {0}', report.credentials.secretIdHint);
}

function logReport(report: ConnectionReport, log: StudioLog): void {
  log.info(`Connection check: endpoint ${report.endpoint}, region ${report.region}, ${sourceWords(report)}`);
  for (const result of report.results) {
    const ids = [result.code, result.requestId && `RequestId ${result.requestId}`].filter(Boolean).join(', ');
    // Hunyuan's image APIs are served in ap-guangzhou only, whatever the setting says (the client sends that).
    const region = SERVICES[result.service].onlyRegion ?? report.region;
    const line = `  ${SERVICE_NAMES[result.service]} (${region}): ${result.status}${ids ? ` (${ids})` : ''} - ${result.message}`;
    if (result.status === 'ok') log.info(line);
    else log.warn(line);
  }
}

/**
 * One notification: each service's status in words, the endpoint and region used, and for
 * problems the advice of the first failing service. Full answers with RequestIds are in the log.
 */
export async function showConnectionReport(report: ConnectionReport, log: StudioLog): Promise<void> {
  const summary = report.results.map((result) => `${SERVICE_NAMES[result.service]}: ${statusWord(result.status)}`).join(' · ');
  const where = vscode.l10n.t('Endpoint {0}, region {1}, {2}.', report.endpoint, report.region, sourceWords(report));
  const failed = report.results.find((result) => result.status !== 'ok');
  const showDetails = vscode.l10n.t('Show Details');
  if (!failed) {
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Connection OK. {0}. {1}', summary, where), showDetails);
    if (choice === showDetails) log.show();
    return;
  }
  const setCredentials = vscode.l10n.t('Set Credentials');
  const openSettings = vscode.l10n.t('Open Settings');
  const actions = report.results.some((result) => result.status === 'badCredentials') ? [setCredentials, showDetails] : [showDetails, openSettings];
  const advice = `${SERVICE_NAMES[failed.service]}: ${failed.message}`;
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Connection problem. {0}. {1} {2}', summary, where, advice), ...actions);
  if (choice === showDetails) log.show();
  else if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'imageStudio.');
  else if (choice === setCredentials && (await vscode.commands.executeCommand<boolean>('imageStudio.setCredentials'))) {
    // Continue where the user was: check again with the new key.
    void vscode.commands.executeCommand('imageStudio.checkConnection');
  }
}
