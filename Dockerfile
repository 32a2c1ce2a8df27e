# Chat capacity simulator: a small runtime image with production dependencies only.
#
#   docker build -t chat-capacity-simulator .
#   docker run --rm -p 8080:8080 chat-capacity-simulator                    # default scenario
#   docker run --rm -p 8080:8080 chat-capacity-simulator --scenario busy    # arguments go to the server
#   docker run --rm -p 8080:8080 -v "$PWD/my-fixtures:/fixtures:ro" -e SCENARIO=mine chat-capacity-simulator
#
# Change the port with -e PORT=..., not --port: the HEALTHCHECK reads PORT.

# Node major: a maintained LTS line (docker build --build-arg NODE_MAJOR=22 . for another).
ARG NODE_MAJOR=24

# ---- build: all dependencies, compile TypeScript into dist/ ----
FROM node:${NODE_MAJOR}-bookworm-slim AS build
WORKDIR /app
# Package files first, so the install layer is reused until they change.
# --ignore-scripts: the package's "prepare" script builds, and the sources are not here yet.
# The npm cache is a build cache mount, shared by both installs and never part of a layer.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
RUN npm run build

# ---- prod-deps: production dependencies only, without npm's cache or logs ----
FROM node:${NODE_MAJOR}-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime ----
FROM node:${NODE_MAJOR}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    FIXTURES_DIR=/fixtures
WORKDIR /app
# Files stay owned by root: the server only reads them, and the node user cannot change them.
COPY package.json package-lock.json openapi.yaml openapi-base.yaml ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY fixtures ./fixtures
COPY dashboard ./dashboard
COPY --from=build /app/dist/src ./dist/src
USER node
EXPOSE 8080
# Slim images have no curl: node asks the server itself, giving up after 2 s. Every 5 s, so that
# "wait until healthy" (compose depends_on, testcontainers) is quick; podman 4 has no --start-interval.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/__admin/health', { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (close-with-grace): in-flight requests finish, then exit 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/src/server.js"]
CMD []
