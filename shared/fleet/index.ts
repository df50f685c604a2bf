/**
 * fleet: Prometheus samples from journals and supervisors. Pure.
 */
export * from './metrics';
