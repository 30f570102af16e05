/**
 * Every metric /metrics serves (with webhooks on), by name and type: the contract that
 * dashboards and alert rules (docs/operations/) are checked against.
 */
export const GATEWAY_METRICS = {
  kspay_gateway_graphql_operations_total: 'counter',
  kspay_gateway_graphql_operation_duration_seconds: 'histogram',
  kspay_gateway_upstream_requests_total: 'counter',
  kspay_gateway_upstream_request_duration_seconds: 'histogram',
  kspay_gateway_upstream_circuit_breaker_state: 'gauge',
  kspay_gateway_catalog_cache_lookups_total: 'counter',
  kspay_gateway_settled_transaction_lookups_total: 'counter',
  kspay_gateway_shared_live_reads_total: 'counter',
  kspay_gateway_response_cache_lookups_total: 'counter',
  kspay_gateway_response_cache_writes_total: 'counter',
  kspay_gateway_http_refusals_total: 'counter',
  kspay_gateway_webhook_backlog_lanes: 'gauge',
  kspay_gateway_webhook_backlog_oldest_age_seconds: 'gauge',
  kspay_gateway_webhook_delivery_attempts_total: 'counter',
  kspay_gateway_webhook_sweeps_total: 'counter',
  kspay_gateway_webhook_sweep_upstream_requests_total: 'counter',
  kspay_gateway_webhook_sweep_transactions_examined_total: 'counter',
  kspay_gateway_webhook_sweep_events_created_total: 'counter',
  kspay_gateway_dependency_up: 'gauge',
  kspay_gateway_draining: 'gauge',
  kspay_gateway_idempotency_loss_window_open: 'gauge',
  kspay_gateway_idempotency_store_losses_total: 'counter',
  kspay_gateway_idempotency_loss_lookups_total: 'counter',
  kspay_gateway_idempotency_loss_list_pages_total: 'counter',
  kspay_gateway_http_open_connections: 'gauge',
  kspay_gateway_http_connections_closed_total: 'counter',
} as const;

/** The Node.js process series every prom-client serves under these standard names (a subset is checked). */
export const PROCESS_METRICS = {
  process_cpu_seconds_total: 'counter',
  process_resident_memory_bytes: 'gauge',
  process_start_time_seconds: 'gauge',
  nodejs_heap_size_used_bytes: 'gauge',
  nodejs_eventloop_lag_seconds: 'gauge',
  nodejs_eventloop_lag_p99_seconds: 'gauge',
  nodejs_gc_duration_seconds: 'histogram',
} as const;

/** Every name a PromQL expression may use for a series above (a histogram's _bucket, _sum and _count). */
export function seriesNames(): Set<string> {
  const names = new Set<string>();
  for (const [name, type] of Object.entries({ ...GATEWAY_METRICS, ...PROCESS_METRICS })) {
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

/** The series /metrics adds with Redis (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS). */
export const REDIS_TOPOLOGY_METRICS = {
  kspay_gateway_redis_primary_changes_total: 'counter',
  kspay_gateway_redis_claims_unreplicated_total: 'counter',
  kspay_gateway_redis_claims_replicated_total: 'counter',
  kspay_gateway_redis_cluster_slot_refreshes_total: 'counter',
  kspay_gateway_redis_cluster_redirections_total: 'counter',
} as const;
