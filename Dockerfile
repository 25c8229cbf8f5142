# One image definition for the four services, chosen at build time:
#   docker build --build-arg SERVICE=deals --build-arg HTTP_PORT=3003 --build-arg GRPC_PORT=50053 -t crm/deals .
# SERVICE is one of lead-intake, qualification, deals, reporting; HTTP_PORT and GRPC_PORT are the ports it listens
# on (each service's own: 3001/50051, 3002/50052, 3003/50053, 3004/50054). All three are required.
ARG SERVICE
ARG HTTP_PORT
ARG GRPC_PORT

# npm ci needs every workspace's package.json. Collecting only those, the lockfile and .npmrc lets the npm ci
# layers below stay cached while source files change.
FROM node:20-bookworm-slim AS manifests
WORKDIR /repo
COPY . .
RUN mkdir /manifests && find . -maxdepth 3 \( -path './package*.json' -o -path ./.npmrc \
      -o -path './apps/*/package.json' -o -path './libs/*/package.json' \) -exec cp --parents {} /manifests/ \;

FROM node:20-bookworm-slim AS build
WORKDIR /repo
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
# Declared after npm ci so that layer is shared by the four services' images.
ARG SERVICE
ARG HTTP_PORT
ARG GRPC_PORT
RUN case "${SERVICE}" in lead-intake|qualification|deals|reporting) ;; \
      *) echo "build with --build-arg SERVICE=lead-intake|qualification|deals|reporting (got '${SERVICE}')" >&2; exit 1 ;; esac \
    && case "${HTTP_PORT}:${GRPC_PORT}" in *[!0-9:]*|:*|*:) echo "build with --build-arg HTTP_PORT=<port> --build-arg GRPC_PORT=<port>" >&2; exit 1 ;; esac \
    && npx nx run "${SERVICE}:build"

# The service's bundle (its workspace libraries compiled in) and the production dependencies, nothing else.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund && rm -rf apps libs node_modules/@crm
ARG SERVICE
ARG HTTP_PORT
ARG GRPC_PORT
# Set in the image so the service and the health check below agree on the ports.
ENV SERVICE=${SERVICE} HTTP_PORT=${HTTP_PORT} GRPC_PORT=${GRPC_PORT} NODE_OPTIONS=--enable-source-maps
COPY --from=build /repo/dist/apps/${SERVICE}/ ./service/
USER node
EXPOSE ${HTTP_PORT} ${GRPC_PORT}
# The slim image has no curl, so node itself asks /readyz (200 only while MongoDB and RabbitMQ are reachable).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.HTTP_PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "service/main.js"]
