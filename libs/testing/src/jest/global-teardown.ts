export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.__crmTestContainers ?? []).map((container) => container.stop()));
}
