# Vexil: one image for the operator (`vexil operator`) and the evaluator (`vexil serve`).
#
#   docker build -t vexil .            (or: buildah bud -t vexil .)
#
# Behind a TLS-inspecting proxy, pass its CA bundle to the dependency step only:
#   buildah bud --secret id=npm-ca,src=/etc/ssl/certs/ca-certificates.crt -t vexil .
# The secret is mounted for that one RUN and never stored in a layer.
FROM node:26-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no install script needs to run to compile (the dev-only packages that ship
# binaries are not used here).
RUN --mount=type=secret,id=npm-ca,required=false \
    if [ -f /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi; \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY core core
COPY webhooks webhooks
COPY kube kube
COPY api api
COPY event-store event-store
COPY evaluator evaluator
COPY operator operator
COPY cli cli
# tsc through the base image's node: with scripts ignored, the `node` dev package's launcher in
# node_modules/.bin is not set up, and `npm run` would put it first on PATH.
RUN node node_modules/typescript/bin/tsc -p tsconfig.build.json && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
    && rm -rf node_modules/.package-lock.json

FROM node:26-slim
# No package manager in the final image: it runs `node` only (and is smaller without them).
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn* /usr/local/bin/yarn \
      /usr/local/bin/yarnpkg
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY examples examples
# Numeric, so Kubernetes can verify runAsNonRoot; the chart runs it with a read-only root
# filesystem and an emptyDir on /tmp.
USER 1000:1000
EXPOSE 8080 8081
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve", "--flags", "examples", "--port", "8080"]
