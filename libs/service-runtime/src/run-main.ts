// Runs a service's main(); a start-up failure (bad configuration, a port in use) is printed plainly and exits 1.
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
