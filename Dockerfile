# Multi-stage build of the lot-trace service: build the explorer and the API docs page with
# Node.js, compile the Go binary with them embedded, ship a static binary on a distroless
# base (no shell, runs as non-root).
FROM node:20 AS web
WORKDIR /src
COPY web/package.json web/package-lock.json web/
RUN npm --prefix web ci --no-audit --no-fund
COPY docs-ui/package.json docs-ui/package-lock.json docs-ui/.npmrc docs-ui/
RUN npm --prefix docs-ui ci --no-audit --no-fund
COPY web/ web/
COPY docs-ui/ docs-ui/
COPY api/ui/dist/.keep api/ui/dist/.keep
COPY api/docsui/dist/.keep api/docsui/dist/.keep
RUN npm --prefix web run build
# The same files `make docs` copies.
RUN cp docs-ui/node_modules/swagger-ui-dist/swagger-ui.css \
       docs-ui/node_modules/swagger-ui-dist/swagger-ui-bundle.js \
       docs-ui/node_modules/swagger-ui-dist/swagger-ui-standalone-preset.js \
       docs-ui/docs-init.js docs-ui/index.html api/docsui/dist/

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/api/ui/dist/ api/ui/dist/
COPY --from=web /src/api/docsui/dist/ api/docsui/dist/
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/lot-trace ./cmd/lot-trace

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lot-trace /lot-trace
EXPOSE 8080
ENTRYPOINT ["/lot-trace"]
CMD ["serve"]
