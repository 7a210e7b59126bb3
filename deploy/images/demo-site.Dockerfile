# The demo site (clients/web/demo: the original product's two pages tracked by @analytics/web) as
# static files behind nginx, non-root. `deno task dev` serves the same files itself; here the web
# client's bundle is built once at image build time (esbuild is a development dependency), and
# /config.json (the ingest's address as the browser reaches it, and the web write key the pages
# send with) is rendered from DEMO_INGEST_URL and DEMO_WRITE_KEY when the container starts.
# Build from the repository root:
#   docker build -f deploy/images/demo-site.Dockerfile -t analytics/demo-site:0.1.0 .

FROM node:22.20.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM denoland/deno:debian-2.9.6 AS bundle
ENV DENO_NO_UPDATE_CHECK=1
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY deno.json package.json ./
COPY proto ./proto
COPY clients ./clients
COPY ingest/deno.json ./ingest/deno.json
COPY sinks/deno.json ./sinks/deno.json
COPY grafana/deno.json ./grafana/deno.json
RUN deno run --allow-read --allow-write --allow-env --allow-run clients/web/bundle/build_bundle.ts

FROM nginxinc/nginx-unprivileged:1.29.3-alpine
COPY clients/web/demo/site/ /usr/share/nginx/html/
COPY --from=bundle /app/clients/web/dist/analytics.js /usr/share/nginx/html/analytics.js
# The image's entrypoint renders /etc/nginx/templates/*.template into /etc/nginx/conf.d/ with
# the environment's variables (only those defined, so nginx's own $uri stays).
COPY deploy/images/demo-site/default.conf.template /etc/nginx/templates/default.conf.template
USER 101
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=6 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
