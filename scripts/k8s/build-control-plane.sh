#!/usr/bin/env bash
# Builds kube-apiserver and kube-controller-manager v1.20.2 from Debian's `kubernetes` source package
# (it ships vendor/, so it builds offline with Debian's golang-go) and installs etcd-server, for the
# test:k8s tier. The binaries are cached outside the repository and rebuilt only when missing.
#   MLOPS_K8S_BIN  where the binaries go (default ~/.cache/mlops-k8s/v1.20.2/bin)
set -euo pipefail

bin_dir="${MLOPS_K8S_BIN:-$HOME/.cache/mlops-k8s/v1.20.2/bin}"
sudo_cmd=""
if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then $sudo_cmd apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null
}

if ! command -v etcd >/dev/null 2>&1; then
  echo "k8s: installing etcd-server"
  apt_install etcd-server
fi

if [ -x "$bin_dir/kube-apiserver" ] && [ -x "$bin_dir/kube-controller-manager" ]; then
  echo "k8s: control plane binaries cached in $bin_dir"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "k8s: installing golang-go, dpkg-dev and rsync"
  apt_install golang-go dpkg-dev rsync
fi
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

work_dir="$(dirname "$bin_dir")/src"
rm -rf "$work_dir"
mkdir -p "$work_dir" "$bin_dir"
cd "$work_dir"
echo "k8s: fetching Debian's kubernetes source package"
apt-get source -qq kubernetes >/dev/null
tree="$(find . -maxdepth 1 -type d -name 'kubernetes-*' | head -n 1)"
cd "$tree"
echo "k8s: building kube-apiserver and kube-controller-manager (about 12 minutes on 2 cores)"
export GOFLAGS="-mod=vendor" GOPROXY=off GO111MODULE=on
# Debian's tree builds with its own golang; KUBE_BUILD_PLATFORMS keeps it to this machine.
make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" KUBE_BUILD_PLATFORMS="linux/$(go env GOARCH)" >build.log 2>&1 || {
  tail -n 40 build.log >&2
  echo "k8s: build failed (log above; full log in $work_dir/$tree/build.log)" >&2
  exit 1
}
for name in kube-apiserver kube-controller-manager; do
  built="$(find _output -type f -name "$name" -perm -u+x | head -n 1)"
  [ -n "$built" ] || { echo "k8s: $name not found after the build" >&2; exit 1; }
  cp "$built" "$bin_dir/$name.tmp"
  mv "$bin_dir/$name.tmp" "$bin_dir/$name"
done
cd /
rm -rf "$work_dir"
echo "k8s: built into $bin_dir"
