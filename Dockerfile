# Materia with FoundationDB, for local development and as a base for production images.
#
#   docker build -t materia .
#   docker run -p 6378:6378 -p 6379:6379 -v materia-data:/var/lib/materia materia
#
# The image holds the single `materia` binary and the FoundationDB client
# library it loads (libfdb_c.so). By default it also starts a one-process
# FoundationDB server inside the container (MATERIA_LOCAL_FDB=1), so that
# `docker run` alone gives a working, durable Materia. For the production
# shape, point it at a real cluster instead: set MATERIA_LOCAL_FDB=0 and
# mount a cluster file at $FDB_CLUSTER_FILE (or set FDB_COORDINATOR=host:port);
# see docker-compose.yml.
#
# Not exercised in CI: our CI machines cannot run Docker.

FROM node:20-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM debian:bookworm-slim
ARG FDB_VERSION=7.3.63
ARG TARGETARCH=amd64
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && curl -fsSL -o /tmp/clients.deb "https://github.com/apple/foundationdb/releases/download/${FDB_VERSION}/foundationdb-clients_${FDB_VERSION}-1_${TARGETARCH}.deb" \
 && curl -fsSL -o /tmp/server.deb "https://github.com/apple/foundationdb/releases/download/${FDB_VERSION}/foundationdb-server_${FDB_VERSION}-1_${TARGETARCH}.deb" \
 && dpkg -i /tmp/clients.deb \
 # The server package's scripts start a system service; only its binaries are wanted here.
 && dpkg-deb -x /tmp/server.deb /tmp/server \
 && cp /tmp/server/usr/sbin/fdbserver /usr/sbin/fdbserver \
 && rm -rf /tmp/*.deb /tmp/server /var/lib/apt/lists/* \
 && apt-get purge -y curl && apt-get autoremove -y
COPY --from=build /src/dist/materia /usr/local/bin/materia
COPY docker/entrypoint.sh /usr/local/bin/materia-entrypoint
ENV MATERIA_ENGINE=fdb \
    MATERIA_HOST=0.0.0.0 \
    MATERIA_DATA=/var/lib/materia \
    FDB_CLUSTER_FILE=/var/lib/materia/fdb.cluster \
    MATERIA_LOCAL_FDB=1
VOLUME /var/lib/materia
EXPOSE 6378 6379
ENTRYPOINT ["/usr/local/bin/materia-entrypoint"]
CMD ["serve"]
