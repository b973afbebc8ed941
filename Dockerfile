# conform in a small non-root image:
#
#   docker build -t conform .
#   docker run --rm conform version
#   docker run --rm --network host -v "$PWD:/work" -e JWT_PASSWORD_1 -e JWT_PASSWORD_2 conform \
#       run --target http://127.0.0.1:3000 --profile jwt --config /work/jwt.yaml \
#       --junit-report /work/junit.xml --html-report /work/conform.html
#
# The reproducer scripts a run writes (--reproducers DIR) need curl and a POSIX shell: the
# final image has both (busybox sh and curl from Alpine).

# Build: a static binary, stamped with the module version and the VCS revision.
FROM golang:1.26-alpine AS build
WORKDIR /src
RUN apk add --no-cache git
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=auto -ldflags='-s -w' -o /out/conform ./cmd/conform

# Run: Alpine for a shell and curl (reproducers), CA certificates for https targets.
FROM alpine:3.22
RUN apk add --no-cache ca-certificates curl \
 && adduser -D -H -u 10001 conform
COPY --from=build /out/conform /usr/local/bin/conform
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["conform"]
CMD ["--help"]
