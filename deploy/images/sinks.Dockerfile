# Both sinks (one image, the program chosen by the command): the hot sink
# (sinks/timescale/main.ts, the default) and the lake sink (sinks/delta/main.ts). Non-root.
# Build from the repository root:
#   docker build -f deploy/images/sinks.Dockerfile -t analytics/sinks:0.1.0 .
# The lake sink writes Parquet with DuckDB (@duckdb/node-api): npm ci installs the native binding
# package for the build platform (@duckdb/node-bindings-linux-x64 or -arm64, glibc), which is why
# the dependency stage is Debian like the runtime, and why the sinks run with --allow-ffi (Deno
# loads Node-API addons only with it).

FROM node:22.20.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM denoland/deno:debian-2.9.6
ENV DENO_DIR=/deno-dir \
    DENO_NO_UPDATE_CHECK=1 \
    SINK_HTTP_HOST=0.0.0.0 \
    DELTA_LOCAL_CACHE_DIR=/var/cache/analytics/lake
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY deno.json package.json ./
COPY proto ./proto
COPY ingest ./ingest
COPY sinks ./sinks
COPY grafana/deno.json ./grafana/deno.json
COPY clients/core/deno.json ./clients/core/deno.json
COPY clients/server/deno.json ./clients/server/deno.json
COPY clients/agent/deno.json ./clients/agent/deno.json
COPY clients/mobile/deno.json ./clients/mobile/deno.json
COPY clients/chat/deno.json ./clients/chat/deno.json
COPY clients/speech/deno.json ./clients/speech/deno.json
COPY clients/web/deno.json ./clients/web/deno.json
COPY deploy/images/healthcheck.ts ./deploy/images/healthcheck.ts
RUN deno cache sinks/timescale/main.ts sinks/delta/main.ts deploy/images/healthcheck.ts \
  && mkdir -p /var/cache/analytics/lake \
  && chown -R deno:deno "$DENO_DIR" /var/cache/analytics
USER deno
EXPOSE 3002 3003
ENTRYPOINT ["deno", "run", "--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys", "--allow-ffi"]
CMD ["sinks/timescale/main.ts"]
