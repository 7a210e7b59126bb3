-- Rollups refreshed by the sink in the load transaction, from the rows it actually inserted
-- (so a redelivered batch adds nothing): events per minute of skew-corrected time by channel
-- and event type.
CREATE TABLE IF NOT EXISTS analytics_events_per_minute (
  bucket timestamptz NOT NULL,
  channel text NOT NULL,
  event_type text NOT NULL,
  events bigint NOT NULL,
  PRIMARY KEY (bucket, channel, event_type)
);
