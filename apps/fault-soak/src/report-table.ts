import type { SoakReport } from './run-xport-soak';

/** The soak's table, one row per figure, as the test and the benchmark print it. */
export function formatSoakReport(title: string, report: SoakReport): string {
  const faults = Object.entries(report.faultsByKind)
    .map(([kind, hits]) => `${kind} ${hits}`)
    .join(', ');
  const rows: [string, string | number][] = [
    ['orders', report.orders],
    ['faults injected', faults],
    ['returned on first call', report.returned],
    ['recovered by lookup', report.recoveredByLookup],
    ['resubmitted (same id)', report.resubmitted],
    ['unknown (OrderStatusUnknownError)', report.unknown],
    ['unknown resolved by re-send', report.unknownResolved],
    ['refused by open breaker', report.circuitOpen],
    ['other errors', report.otherErrors.length],
    ['duplicates', report.duplicates],
    ['lost', report.lost],
    ['wall time', `${(report.wallMs / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const errors = report.otherErrors.map((error) => `    ${error}`);
  return [title, ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${String(value)}`), ...errors].join('\n');
}
