# syntax=docker/dockerfile:1
# Build: a static, pure-Go binary (CGO_ENABLED=0): fonts, templates and pages
# are embedded, so the runtime image needs nothing but the binary and CA
# certificates.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/sharecard ./cmd/sharecard \
 && /out/sharecard validate

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/sharecard /sharecard
ENV SHARECARD_ADDR=:8080 \
    SHARECARD_ENV=production \
    SHARECARD_DATA_DIR=/tmp/sharecard
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/sharecard"]
CMD ["serve"]
