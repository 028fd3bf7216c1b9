# syntax=docker/dockerfile:1
# Credport's production image: `node dist/server.js` with production dependencies only, as the
# user `node`, data in /data. See the README's "Deploying" section.
#
#   docker build -t credport .
#   docker run -p 8080:8080 -v credport-data:/data -e PUBLIC_URL=https://credport.example.com credport

ARG NODE_IMAGE=node:22-bookworm-slim

# 1. Compile: every dependency (TypeScript), then npm run build into dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json tsconfig.client.json ./
COPY bin ./bin
COPY scripts/build.mjs scripts/bundle-packages.mjs ./scripts/
COPY src ./src
RUN npm run build

# 2. The runtime dependencies alone (no tsx, no TypeScript; none of them has an install script).
FROM ${NODE_IMAGE} AS runtime-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. What runs: dependencies, the build, the CLI launcher and the public sample the API document shows.
FROM ${NODE_IMAGE}
# MALLOC_ARENA_MAX=2: glibc's malloc keeps up to 8 arenas per core, one for each thread that
# allocates (V8's compiler and GC threads, libuv's pool), and their freed memory stays resident;
# two arenas take 5–10 MiB less after holders have used the server (README, "Memory").
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=runtime-dependencies /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY bin ./bin
COPY examples ./examples
COPY --from=build /app/dist ./dist
# `credport` (the admin and partner CLI) on the PATH: docker exec <container> credport partners list
RUN ln -s /app/bin/credport.js /usr/local/bin/credport \
 && mkdir -p /data && chown node:node /data && chmod 700 /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/readyz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server.js"]
