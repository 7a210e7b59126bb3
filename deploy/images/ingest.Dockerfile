# The ingest (ingest/main.ts) on Deno's own image, non-root. Build from the repository root:
#   docker build -f deploy/images/ingest.Dockerfile -t analytics/ingest:0.1.0 .
# npm dependencies come from package-lock.json (npm ci, production only) in a Node stage of the
# same libc and architecture; Deno then compiles the module graph once, at build time.

FROM node:22.20.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM denoland/deno:debian-2.9.6
# DENO_V8_FLAGS caps the JavaScript heap so the collector reclaims memory under load instead of
# growing the process (docs/configuration.md, "Memory"); the ingest sheds calls near the cap.
ENV DENO_DIR=/deno-dir \
    DENO_NO_UPDATE_CHECK=1 \
    DENO_V8_FLAGS=--max-old-space-size=192 \
    INGEST_HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY deno.json package.json ./
COPY proto ./proto
COPY ingest ./ingest
COPY sinks/deno.json ./sinks/deno.json
COPY grafana/deno.json ./grafana/deno.json
COPY clients/core/deno.json ./clients/core/deno.json
COPY clients/server/deno.json ./clients/server/deno.json
COPY clients/agent/deno.json ./clients/agent/deno.json
COPY clients/mobile/deno.json ./clients/mobile/deno.json
COPY clients/chat/deno.json ./clients/chat/deno.json
COPY clients/speech/deno.json ./clients/speech/deno.json
COPY clients/web/deno.json ./clients/web/deno.json
COPY deploy/images/healthcheck.ts ./deploy/images/healthcheck.ts
RUN deno cache ingest/main.ts deploy/images/healthcheck.ts && chown -R deno:deno "$DENO_DIR"
USER deno
EXPOSE 3001 50051
HEALTHCHECK --interval=10s --timeout=5s --start-period=15s --retries=6 \
  CMD ["deno", "run", "--allow-net=127.0.0.1", "deploy/images/healthcheck.ts", "http://127.0.0.1:3001/ready"]
ENTRYPOINT ["deno", "run", "--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys"]
CMD ["ingest/main.ts"]
