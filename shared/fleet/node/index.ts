/**
 * fleet, Node part: the handoff log engine (sources, readers, totals, the state file).
 */
export * from './handoffLog';
export * from './serviceLogs';
