# syntax=docker/dockerfile:1
FROM golang:1.27-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags='-s -w' -o /out/qianfa ./cmd/qianfa \
 && mkdir -p /out/data

# distroless/static carries CA certificates and zoneinfo; the binary also embeds tzdata.
FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/qianfa /app/qianfa
COPY --from=build /src/config.yaml /app/config.yaml
COPY --from=build --chown=nonroot:nonroot /out/data /app/data
USER nonroot:nonroot
VOLUME ["/app/data"]
EXPOSE 8080
ENTRYPOINT ["/app/qianfa"]
CMD ["serve", "--config", "/app/config.yaml"]
