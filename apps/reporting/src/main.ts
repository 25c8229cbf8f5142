import { loadConfig } from '@crm/config';
import { runMain } from '@crm/service-runtime';
import { reportingConfigSchema } from './config';
import { rebuildReporting, startReporting } from './reporting-service';

// `main.js` serves; `main.js rebuild` replays the event log into fresh projections and exits.
runMain(async () => {
  const config = loadConfig(reportingConfigSchema);
  if (process.argv[2] === 'rebuild') {
    const { events, skipped, minimized, elapsedMs } = await rebuildReporting(config);
    console.info(
      JSON.stringify({
        rebuilt: true,
        events,
        skipped,
        minimized,
        elapsedMs,
        eventsPerSecond: elapsedMs > 0 ? Math.round((events / elapsedMs) * 1000) : events,
      }),
    );
    return;
  }
  await startReporting(config);
});
