-- The event table: the original product's columns, ours, the channel-context columns the
-- dashboards group by, and the rest in JSONB. Natively partitioned by the client's event time
-- (stable across retries: the dedup key with event_id); daily partitions are created ahead by
-- the sink, and the default partition takes anything else so no row is ever refused.
CREATE TABLE IF NOT EXISTS analytics_events (
  event_id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  "timestamp" timestamptz NOT NULL,
  received_at timestamptz,
  sent_at timestamptz,
  channel text NOT NULL,
  custom_channel text,
  platform text,
  event_type text NOT NULL,
  event_category text,
  resource_id text,
  resource_title text,
  interaction_target text,
  interaction_value double precision,
  interaction_text text,
  session_id text NOT NULL,
  user_id text,
  anonymous_id text,
  device_id text,
  user_agent text,
  client_version text,
  source text,
  browser text,
  os text,
  device_type text,
  is_bot boolean,
  ip text,
  page_path text,
  page_url text,
  referrer text,
  utm_source text,
  utm_medium text,
  utm_campaign text,
  utm_term text,
  utm_content text,
  screen_name text,
  app_version text,
  os_name text,
  conversation_id text,
  message_role text,
  response_latency_ms double precision,
  intent text,
  confidence double precision,
  model text,
  provider text,
  input_tokens bigint,
  output_tokens bigint,
  cost_usd double precision,
  tool_name text,
  outcome text,
  trace_id text,
  metadata jsonb,
  client jsonb,
  context jsonb,
  enrichment jsonb,
  PRIMARY KEY (event_id, event_time)
) PARTITION BY RANGE (event_time);

CREATE TABLE IF NOT EXISTS analytics_events_default PARTITION OF analytics_events DEFAULT;

CREATE INDEX IF NOT EXISTS analytics_events_timestamp_brin
  ON analytics_events USING brin ("timestamp");
CREATE INDEX IF NOT EXISTS analytics_events_event_time_brin
  ON analytics_events USING brin (event_time);
CREATE INDEX IF NOT EXISTS analytics_events_session_id
  ON analytics_events (session_id, event_time);
CREATE INDEX IF NOT EXISTS analytics_events_user_id
  ON analytics_events (user_id) WHERE user_id IS NOT NULL;
