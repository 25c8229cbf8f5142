// The benchmark's knobs, from flags first, then BENCH_* variables, then defaults. --quick is a short smoke run.
export interface BenchOptions {
  mongoUrl: string;
  amqpUrl: string;
  clients: number;
  // Seconds of load per scenario (closed loop, and each open-loop rate).
  durationSeconds: number;
  rates: number[];
  // Leads written straight into the stores for the seeded phase; 0 skips that phase.
  seed: number;
  // Longest wait, after a scenario's load stops, for its last leads to complete.
  drainSeconds: number;
  // Timed calls of each report (after one untimed call).
  reportRuns: number;
  quick: boolean;
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function positive(name: string, text: string | undefined, fallback: number, allowZero = false): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0))
    throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, not '${text}'`);
  return value;
}

export function benchOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const quick = argv.includes('--quick') || env.BENCH_QUICK === '1';
  const get = (name: string, variable: string) => flag(argv, name) ?? env[variable];
  const rates = (get('rates', 'BENCH_RATES') ?? '50,100,200').split(',').map((r) => positive('rates', r.trim(), 0));
  return {
    mongoUrl: env.MONGO_URL ?? 'mongodb://127.0.0.1:27017',
    amqpUrl: env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    clients: Math.round(positive('clients', get('clients', 'BENCH_CLIENTS'), 32)),
    durationSeconds: positive('duration', get('duration', 'BENCH_DURATION'), quick ? 4 : 20),
    rates,
    seed: Math.round(positive('seed', get('seed', 'BENCH_SEED'), quick ? 2000 : 100_000, true)),
    drainSeconds: positive('drain', get('drain', 'BENCH_DRAIN'), quick ? 30 : 120),
    reportRuns: Math.round(positive('report-runs', get('report-runs', 'BENCH_REPORT_RUNS'), quick ? 3 : 5)),
    quick,
  };
}
