# Vexil: one image for the operator (`vexil operator`) and the evaluator (`vexil serve`).
FROM node:26-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY core core
COPY evaluator evaluator
COPY kube kube
COPY api api
COPY operator operator
COPY cli cli
RUN npm run build && npm prune --omit=dev

FROM node:26-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY examples examples
USER node
EXPOSE 8080 8081
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve", "--flags", "examples", "--port", "8080"]
