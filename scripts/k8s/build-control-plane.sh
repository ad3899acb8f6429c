#!/usr/bin/env bash
# Builds kube-apiserver and kube-controller-manager v1.20.2 from Debian's `kubernetes` source package
# (it ships vendor/, so it builds offline with Debian's golang-go) and installs etcd-server, for the
# test:k8s tier. The binaries are cached outside the repository and rebuilt only when missing.
#   MLOPS_K8S_BIN  where the binaries go (default ~/.cache/mlops-k8s/v1.20.2/bin)
#
# Usage: build-control-plane.sh [prepare|build|all]   (default all)
#   prepare  the apt part (packages the tier needs, a deb-src line, the source package download): quick, and
#            it takes apt's locks, so .ci/run runs it in the foreground
#   build    the ~12-minute compile (no apt), which .ci/run runs in the background while `npm test` runs
set -euo pipefail

mode="${1:-all}"
bin_dir="${MLOPS_K8S_BIN:-$HOME/.cache/mlops-k8s/v1.20.2/bin}"
work_dir="$(dirname "$bin_dir")/src"
sudo_cmd=""
if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi

cached() { [ -x "$bin_dir/kube-apiserver" ] && [ -x "$bin_dir/kube-controller-manager" ]; }

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then $sudo_cmd apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null
}

prepare() {
  # etcd for the control plane; iproute2 (ip netns), util-linux (unshare, nsenter, setpriv) and openssl
  # for the test kubelet's pods and the cluster's certificates.
  local missing=""
  command -v etcd >/dev/null 2>&1 || missing="$missing etcd-server"
  command -v ip >/dev/null 2>&1 || missing="$missing iproute2"
  command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
  command -v nsenter >/dev/null 2>&1 || missing="$missing util-linux"
  if [ -n "$missing" ]; then
    echo "k8s: installing$missing"
    # shellcheck disable=SC2086
    apt_install $missing
  fi
  cached && return 0
  if [ -n "$(find "$work_dir" -maxdepth 1 -type d -name 'kubernetes-*' 2>/dev/null | head -n 1)" ]; then
    return 0 # source already fetched
  fi
  command -v go >/dev/null 2>&1 || { echo "k8s: installing golang-go"; apt_install golang-go; }
  command -v dpkg-source >/dev/null 2>&1 || apt_install dpkg-dev
  command -v rsync >/dev/null 2>&1 || apt_install rsync
  # apt-get source needs a deb-src line; Debian's sources file lists deb only.
  if ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "k8s: adding a deb-src line for bookworm"
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      | $sudo_cmd tee /etc/apt/sources.list.d/mlops-deb-src.sources >/dev/null
    apt_updated=""
  fi
  if [ -z "$apt_updated" ]; then $sudo_cmd apt-get update -qq; apt_updated=1; fi
  rm -rf "$work_dir"
  mkdir -p "$work_dir"
  echo "k8s: fetching Debian's kubernetes source package"
  (cd "$work_dir" && apt-get source -qq kubernetes >/dev/null 2>&1) || {
    rm -rf "$work_dir"
    echo "k8s: apt-get source kubernetes failed" >&2
    exit 1
  }
}

build() {
  if cached; then
    echo "k8s: control plane binaries cached in $bin_dir"
    return 0
  fi
  command -v go >/dev/null 2>&1 || { echo "k8s: golang-go is missing: run '$0 prepare' first" >&2; exit 1; }
  local tree
  tree="$(find "$work_dir" -maxdepth 1 -type d -name 'kubernetes-*' 2>/dev/null | head -n 1)"
  [ -n "$tree" ] || { echo "k8s: no source tree in $work_dir: run '$0 prepare' first" >&2; exit 1; }
  mkdir -p "$bin_dir"
  cd "$tree"
  echo "k8s: building kube-apiserver and kube-controller-manager (about 12 minutes on 2 cores)"
  export GOFLAGS="-mod=vendor" GOPROXY=off GO111MODULE=on
  # Debian's tree builds with its own golang; KUBE_BUILD_PLATFORMS keeps it to this machine.
  make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" KUBE_BUILD_PLATFORMS="linux/$(go env GOARCH)" >build.log 2>&1 || {
    tail -n 40 build.log >&2
    echo "k8s: build failed (log above; full log in $tree/build.log)" >&2
    exit 1
  }
  local name built
  for name in kube-apiserver kube-controller-manager; do
    built="$(find _output -type f -name "$name" -perm -u+x | head -n 1)"
    [ -n "$built" ] || { echo "k8s: $name not found after the build" >&2; exit 1; }
    cp "$built" "$bin_dir/$name.tmp"
    mv "$bin_dir/$name.tmp" "$bin_dir/$name"
  done
  cd /
  rm -rf "$work_dir"
  echo "k8s: built into $bin_dir"
}

case "$mode" in
  prepare) prepare ;;
  build) build ;;
  all) prepare; build ;;
  *) echo "usage: $0 [prepare|build|all]" >&2; exit 2 ;;
esac
