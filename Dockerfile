# syntax=docker/dockerfile:1
# The SectorWars image: one image, every role (`docker run sectorwars api`, `realtime`, `jobs`, …).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --strict-allow-scripts --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --strict-allow-scripts --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim AS app
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "dist/bin/main.js"]
CMD ["all"]

# The gateway: Debian's nginx with the built SPAs baked in; its config is rendered from nginx/render.ts.
FROM nginx:1.27-bookworm AS gateway
RUN apt-get update && apt-get install -y --no-install-recommends openssl && rm -rf /var/lib/apt/lists/*
COPY nginx/compose.conf /etc/nginx/sectorwars.conf
COPY nginx/docker-entrypoint.sh /usr/local/bin/sectorwars-gateway
COPY --from=build /app/web/dist /srv/web
COPY --from=build /app/admin/dist /srv/admin
RUN mkdir -p /var/cache/sectorwars/logs /var/cache/sectorwars/tmp
ENTRYPOINT ["/usr/local/bin/sectorwars-gateway"]
