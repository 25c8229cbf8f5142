// A service's /metrics as series → value, each series named as written but without the `service` label every line
// carries, e.g. `crm_queue_consumers{queue="deals.lead-qualified"}` or `crm_service_ready`.
export async function scrapeMetrics(httpUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    const series = line
      .slice(0, at)
      .replace(/,?service="[^"]*"/, '')
      .replace('{,', '{')
      .replace('{}', '');
    values.set(series, Number(line.slice(at + 1)));
  }
  return values;
}
