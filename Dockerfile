# Multi-stage build of the single cascade binary with the web app embedded.
# docker build -t cascade .
FROM node:20-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/frontend/dist ./frontend/dist
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/cascade ./cmd/cascade \
 && mkdir -p /out/data

# The importer runs LibreOffice (.doc, .odt, .rtf), Poppler (PDF) and
# Tesseract with its Vietnamese model (scans): a slim Debian, not distroless.
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates poppler-utils tesseract-ocr tesseract-ocr-vie libreoffice-writer-nogui fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 65532 --home-dir /var/lib/cascade nonroot
COPY --from=build /out/cascade /usr/local/bin/cascade
COPY --from=build --chown=nonroot:nonroot /out/data /var/lib/cascade
USER nonroot:nonroot
ENV HTTP_ADDR=:8080 DATA_DIR=/var/lib/cascade
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/cascade"]
CMD ["serve"]
