import { ReportingServiceClient } from '@crm/contracts';
import { credentials, type ServiceError } from '@grpc/grpc-js';
import { bearerToken } from '@crm/service-runtime';
import { benchGrpcToken, benchReportsKey } from './system-processes';
import { median } from './latency-stats';

export interface ReportTiming {
  report: string;
  transport: 'grpc' | 'http';
  medianMs: number;
  maxMs: number;
}

const call = <T>(invoke: (done: (err: ServiceError | null, res: T) => void) => unknown) =>
  new Promise<T>((resolve, reject) => invoke((err, res) => (err ? reject(err) : resolve(res))));

// Each ReportingService report and its JSON twin over the whole store, uncached (the service runs with
// REPORT_CACHE_MS=0): one untimed call, then `runs` timed ones one after another; median and worst.
export async function measureReports(grpcAddress: string, httpUrl: string, runs: number): Promise<ReportTiming[]> {
  const client = new ReportingServiceClient(grpcAddress, credentials.createInsecure(), { interceptors: [bearerToken(benchGrpcToken)] });
  const scope = { from: undefined, to: undefined, source: '' };
  const reports: Array<[string, () => Promise<unknown>, string]> = [
    ['funnel', () => call((d) => client.getFunnel(scope, d)), '/v1/reports/funnel'],
    ['pipeline', () => call((d) => client.getPipeline({ pipelineId: 'sales', source: '' }, d)), '/v1/reports/pipeline?pipelineId=sales'],
    ['sources', () => call((d) => client.getSourcePerformance({ from: undefined, to: undefined }, d)), '/v1/reports/sources'],
    ['cycle-times', () => call((d) => client.getCycleTimes(scope, d)), '/v1/reports/cycle-times'],
    ['lost-reasons', () => call((d) => client.getLostReasons(scope, d)), '/v1/reports/lost-reasons'],
  ];
  const timings: ReportTiming[] = [];
  try {
    for (const [report, grpcCall, path] of reports) {
      const httpCall = async () => {
        const response = await fetch(`${httpUrl}${path}`, { headers: { 'x-api-key': benchReportsKey } });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
      };
      for (const [transport, once] of [
        ['grpc', grpcCall],
        ['http', httpCall],
      ] as const) {
        await once();
        const times: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          await once();
          times.push(performance.now() - t0);
        }
        timings.push({ report, transport, medianMs: median(times), maxMs: Math.max(...times) });
      }
    }
  } finally {
    client.close();
  }
  return timings;
}
