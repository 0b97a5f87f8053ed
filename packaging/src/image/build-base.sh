#!/usr/bin/env bash
# Builds the container image's base filesystem from Debian packages, without a container engine
# and without root: the shared libraries of the given packages and of everything they depend on
# (apt's dependency closure), their copyright files, a list of what went in, and /etc/passwd,
# /etc/group and /etc/nsswitch.conf for the image's user.
#
#   build-base.sh OUT_DIR CACHE_DIR PACKAGE...
#
# Packages come from this machine's apt sources (so local mirrors and proxies apply), through a
# private apt state under CACHE_DIR: the system's package lists are neither read nor changed, so
# neither root nor a prior `apt-get update` is needed. The result is reused while the script, the
# package list and the apt sources stay the same.
#
# The image tool (Jib) copies files, not symbolic links, so every library is written once under
# the name the dynamic loader looks for (its SONAME link) and the link targets are left out.
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: $0 OUT_DIR CACHE_DIR PACKAGE..." >&2; exit 2; }
out=$1
cache=$2
shift 2
packages=("$@")

die() {
  echo "build-base: $*" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 ||
  die "apt-get and dpkg-deb are needed (a Debian or Debian-based build machine)"

arch="$(dpkg --print-architecture)"
case "$arch" in
  amd64) multiarch=x86_64-linux-gnu; loader=lib64/ld-linux-x86-64.so.2 ;;
  arm64) multiarch=aarch64-linux-gnu; loader=lib/ld-linux-aarch64.so.1 ;;
  *) die "unsupported architecture $arch (amd64 and arm64 are supported)" ;;
esac

sources() {
  cat /etc/apt/sources.list 2>/dev/null || true
  find /etc/apt/sources.list.d -maxdepth 1 \( -name '*.list' -o -name '*.sources' \) -type f -print0 2>/dev/null |
    sort -z | xargs -0 -r cat
}

key_file="$cache/base.key"
key="$( { sha256sum "$0" | cut -d' ' -f1; echo "$arch ${packages[*]}"; sources; } | sha256sum | cut -d' ' -f1)"
if [ -d "$out" ] && [ -f "$key_file" ] && [ "$(cat "$key_file")" = "$key" ]; then
  echo "build-base: base filesystem up to date in $out"
  exit 0
fi

apt_dir="$cache/apt"
rm -rf "$apt_dir/debs" "$key_file"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/cache" "$apt_dir/debs"
touch "$apt_dir/status"
apt_opts=(
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::State::status=$apt_dir/status"
  -o "Dir::Cache=$apt_dir/cache"
  -o "Dir::Cache::archives=$apt_dir/archives"
  -o "Debug::NoLocking=true"
  -o "APT::Get::List-Cleanup=false"
)
if [ "$(id -u)" -eq 0 ]; then
  # apt drops to the _apt user for downloads, which cannot write into a build directory.
  apt_opts+=(-o "APT::Sandbox::User=root")
fi

echo "build-base: reading package lists from this machine's apt sources"
apt-get "${apt_opts[@]}" -qq update || die "apt-get update (private state in $apt_dir) failed"

# Everything the packages need to be loaded: Depends and Pre-Depends, recursively.
mapfile -t closure < <(apt-cache "${apt_opts[@]}" depends --recurse --no-recommends --no-suggests \
    --no-conflicts --no-breaks --no-replaces --no-enhances "${packages[@]}" |
  grep -E '^[a-z0-9]' | sort -u)
[ "${#closure[@]}" -gt 0 ] || die "no packages resolved for: ${packages[*]}"

echo "build-base: downloading ${#closure[@]} packages"
(cd "$apt_dir/debs" && apt-get "${apt_opts[@]}" -qq download "${closure[@]}") ||
  die "apt-get download failed"

stage="$cache/stage"
rm -rf "$stage" "$out"
mkdir -p "$stage" "$out"
manifest=()
for pkg in "${closure[@]}"; do
  debs=("$apt_dir/debs/${pkg}_"*.deb)
  [ -f "${debs[0]}" ] || die "downloaded file of $pkg not found in $apt_dir/debs"
  dpkg-deb -x "${debs[0]}" "$stage/$pkg"
  manifest+=("$pkg $(dpkg-deb -f "${debs[0]}" Version)")

  for dir in "lib/$multiarch" "usr/lib/$multiarch"; do
    src="$stage/$pkg/$dir"
    [ -d "$src" ] || continue
    mkdir -p "$out/$dir"
    # Keep the names the loader asks for: real files nobody links to, and every link (resolved).
    find "$src" -maxdepth 1 -name '*.so*' \( -type f -o -type l \) -print0 | while IFS= read -r -d '' f; do
      name="$(basename "$f")"
      if [ -L "$f" ]; then
        cp -L "$f" "$out/$dir/$name"
      elif ! find "$src" -maxdepth 1 -type l -lname "$name" | grep -q .; then
        cp "$f" "$out/$dir/$name"
      fi
    done
  done
  if [ -f "$stage/$pkg/usr/share/doc/$pkg/copyright" ]; then
    mkdir -p "$out/usr/share/doc/$pkg"
    cp "$stage/$pkg/usr/share/doc/$pkg/copyright" "$out/usr/share/doc/$pkg/copyright"
  fi
done

# The program interpreter named in every executable (a link in the packages).
ld_real="$(find "$out" -name "$(basename "$loader")" -type f | head -n 1)"
[ -n "$ld_real" ] || die "dynamic loader $(basename "$loader") not found (is libc6 in the list?)"
if [ ! -e "$out/$loader" ]; then
  mkdir -p "$out/$(dirname "$loader")"
  cp "$ld_real" "$out/$loader"
fi

# The image's user (65532, as in distroless images) by name, so libraries asking for the user's
# name or home get an answer; /tmp for JNA's native stub (a writable volume in Kubernetes).
mkdir -p "$out/etc" "$out/tmp"
printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin' >"$out/etc/passwd"
printf '%s\n' 'root:x:0:' 'nonroot:x:65532:' >"$out/etc/group"
printf '%s\n' 'passwd: files' 'group: files' 'hosts: files dns' >"$out/etc/nsswitch.conf"

mkdir -p "$out/usr/share/doc/vguest-base"
printf '%s\n' "${manifest[@]}" >"$out/usr/share/doc/vguest-base/packages.txt"
rm -rf "$stage"
echo "$key" >"$key_file"
echo "build-base: ${#manifest[@]} packages, $(du -sh "$out" | cut -f1) in $out"
