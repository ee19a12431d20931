# Multi-stage build of the lot-trace service: compile with the Go toolchain, ship a static
# binary on a distroless base (no shell, runs as non-root).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/lot-trace ./cmd/lot-trace

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lot-trace /lot-trace
EXPOSE 8080
ENTRYPOINT ["/lot-trace"]
CMD ["serve"]
