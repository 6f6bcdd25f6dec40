/** The three Tencent Cloud API families we call, with their API versions and default hosts (tencent-api.md §3–§5). */
export type ServiceId = 'hunyuan' | 'aiart' | 'mps';

export interface ServiceInfo {
  readonly id: ServiceId;
  /** `X-TC-Version` value. */
  readonly version: string;
  /** Nearest-region domain; also the service name in the TC3 credential scope is its first label. */
  readonly host: string;
  /** Whether the API requires `X-TC-Region`. */
  readonly regionRequired: boolean;
  /** The only region the service's image APIs serve, whatever region the user configured. */
  readonly onlyRegion?: string;
}

export const SERVICES: Readonly<Record<ServiceId, ServiceInfo>> = {
  // tencent-api.md §1.2: the hunyuan image APIs are served in ap-guangzhou only.
  hunyuan: { id: 'hunyuan', version: '2023-09-01', host: 'hunyuan.tencentcloudapi.com', regionRequired: true, onlyRegion: 'ap-guangzhou' },
  aiart: { id: 'aiart', version: '2022-12-29', host: 'aiart.tencentcloudapi.com', regionRequired: true },
  mps: { id: 'mps', version: '2019-06-12', host: 'mps.tencentcloudapi.com', regionRequired: false },
};

export const DEFAULT_REGION = 'ap-guangzhou';
