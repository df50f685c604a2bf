/**
 * fleet: Prometheus samples from journals and supervisors, and upstream's handoff metrics from the log. Pure.
 */
export * from './metrics';
export * from './handoffMetrics';
