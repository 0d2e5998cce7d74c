# syntax=docker/dockerfile:1
# Two stages: the first has dev dependencies (TypeScript) and compiles src/ to dist/; the
# image that runs holds dist/ and production dependencies only, with no compiler and no src/.

FROM node:24-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

FROM node:24-trixie-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY deploy/healthcheck.mjs ./deploy/healthcheck.mjs
# The image's own unprivileged user; the files above stay owned by root, so the process cannot change them.
USER node
# 4000: GraphQL, /health, /ready. 9464: /metrics (set metrics.host and metrics.token to publish it).
EXPOSE 4000 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["node", "deploy/healthcheck.mjs"]
# node directly, not npm start: signals reach the server, which then closes gracefully.
CMD ["node", "dist/server.js"]
