-- time_bucket(interval, timestamptz) with TimescaleDB's semantics, created only when the
-- timescaledb extension is absent, so the same dashboard SQL runs on both. Buckets are computed
-- in UTC; intervals without months are aligned to the origin 2000-01-03 00:00 UTC (a Monday),
-- month intervals to 2000-01-01; mixing months with days or time is refused, as Timescale does.
DO $migration$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    RETURN;
  END IF;
  CREATE OR REPLACE FUNCTION time_bucket(bucket_width interval, ts timestamptz)
  RETURNS timestamptz
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $fn$
  DECLARE
    months integer := extract(year FROM bucket_width)::integer * 12
      + extract(month FROM bucket_width)::integer;
    width numeric;
    since numeric;
    month_index integer;
    utc timestamp := ts AT TIME ZONE 'UTC';
  BEGIN
    IF months <> 0 THEN
      IF bucket_width <> make_interval(months => months) THEN
        RAISE EXCEPTION 'month intervals cannot have day or time component';
      END IF;
      IF months < 0 THEN
        RAISE EXCEPTION 'interval must be greater than zero';
      END IF;
      month_index := (extract(year FROM utc)::integer - 2000) * 12
        + extract(month FROM utc)::integer - 1;
      RETURN (timestamp '2000-01-01' + make_interval(months => floor(month_index::numeric / months)::integer * months))
        AT TIME ZONE 'UTC';
    END IF;
    width := extract(epoch FROM bucket_width);
    IF width <= 0 THEN
      RAISE EXCEPTION 'interval must be greater than zero';
    END IF;
    since := extract(epoch FROM ts - timestamptz '2000-01-03 00:00:00+00');
    RETURN timestamptz '2000-01-03 00:00:00+00'
      + make_interval(secs => floor(since / width) * width);
  END
  $fn$;
END
$migration$;
