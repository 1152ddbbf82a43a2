#!/bin/sh
# Installs the takopi binary for this machine.
#
#   curl -fsSL https://github.com/takopi-dev/takopi/releases/latest/download/install.sh | sh
#
# Environment:
#   TAKOPI_INSTALL_DIR       where to put `takopi` (default: ~/.local/bin)
#   TAKOPI_INSTALL_VERSION   a release such as 0.1.0 (default: the latest release)
#   TAKOPI_INSTALL_BASE_URL  where the binaries and SHA256SUMS live (overrides the version)
#   TAKOPI_INSTALL_OS, TAKOPI_INSTALL_ARCH   pretend to be another platform (`uname -s` / `uname -m` values)
#   TAKOPI_INSTALL_DOWNLOADER                `curl` or `wget` instead of the first one found
#
# Nothing is installed unless the download matches its published sha256.
set -eu

REPO_URL="https://github.com/takopi-dev/takopi"

say() {
  printf '%s\n' "$*"
}

die() {
  printf 'takopi install: error: %s\n' "$*" >&2
  exit 1
}

# --- platform ---------------------------------------------------------------

detect_platform() {
  raw_os=${TAKOPI_INSTALL_OS:-$(uname -s)}
  raw_arch=${TAKOPI_INSTALL_ARCH:-$(uname -m)}
  case $raw_os in
    Linux | linux) os=linux ;;
    Darwin | darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows*)
      die "unsupported operating system: $raw_os. On Windows download takopi-windows-x64.exe from $REPO_URL/releases"
      ;;
    *) die "unsupported operating system: $raw_os (takopi ships binaries for Linux and macOS)" ;;
  esac
  case $raw_arch in
    x86_64 | amd64 | x64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "unsupported CPU architecture: $raw_arch (takopi ships binaries for x86_64 and arm64)" ;;
  esac
  # An x64 shell under Rosetta on Apple silicon: the native arm64 binary is the better choice.
  if [ -z "${TAKOPI_INSTALL_ARCH:-}" ] && [ "$os" = darwin ] && [ "$arch" = x64 ]; then
    if [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
      arch=arm64
    fi
  fi
  asset="takopi-$os-$arch"
}

# --- tools ------------------------------------------------------------------

pick_downloader() {
  downloader=${TAKOPI_INSTALL_DOWNLOADER:-}
  if [ -z "$downloader" ]; then
    if command -v curl >/dev/null 2>&1; then
      downloader=curl
    elif command -v wget >/dev/null 2>&1; then
      downloader=wget
    else
      die "need curl or wget to download takopi"
    fi
  fi
  case $downloader in
    curl | wget) command -v "$downloader" >/dev/null 2>&1 || die "$downloader not found" ;;
    *) die "TAKOPI_INSTALL_DOWNLOADER must be curl or wget, not '$downloader'" ;;
  esac
}

# download URL FILE
download() {
  if [ "$downloader" = curl ]; then
    curl -fsSL --retry 2 -o "$2" "$1" || die "download failed: $1"
  else
    wget -q -O "$2" "$1" || die "download failed: $1"
  fi
}

# sha256_of FILE: prints the hex digest
sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | awk '{ print $1 }'
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | awk '{ print $1 }'
  else
    die "need sha256sum or shasum to verify the download"
  fi
}

# --- install ----------------------------------------------------------------

path_hint() {
  case ":${PATH:-}:" in
    *":$install_dir:"*) return 0 ;;
  esac
  case ${SHELL:-} in
    */zsh) rc="$HOME/.zshrc" ;;
    */bash) rc="$HOME/.bashrc" ;;
    */fish) rc="" ;;
    *) rc="$HOME/.profile" ;;
  esac
  say ""
  say "$install_dir is not on your PATH. To use takopi from any directory, run:"
  if [ -z "$rc" ]; then
    say "  fish_add_path $install_dir"
  else
    say "  echo 'export PATH=\"$install_dir:\$PATH\"' >> $rc"
    say "then open a new terminal (or run: export PATH=\"$install_dir:\$PATH\")."
  fi
}

main() {
  detect_platform
  pick_downloader

  if [ -n "${TAKOPI_INSTALL_BASE_URL:-}" ]; then
    base_url=${TAKOPI_INSTALL_BASE_URL%/}
  elif [ -n "${TAKOPI_INSTALL_VERSION:-}" ]; then
    base_url="$REPO_URL/releases/download/v${TAKOPI_INSTALL_VERSION#v}"
  else
    base_url="$REPO_URL/releases/latest/download"
  fi
  install_dir=${TAKOPI_INSTALL_DIR:-$HOME/.local/bin}

  tmp=$(mktemp -d 2>/dev/null || mktemp -d -t takopi)
  trap 'rm -rf "$tmp"' EXIT
  trap 'rm -rf "$tmp"; exit 130' INT
  trap 'rm -rf "$tmp"; exit 143' TERM

  say "downloading $asset from $base_url"
  download "$base_url/SHA256SUMS" "$tmp/SHA256SUMS"
  download "$base_url/$asset" "$tmp/$asset"

  # sha256sum lines are `<hex>  <name>` (`*<name>` in binary mode).
  expected=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/SHA256SUMS")
  [ -n "$expected" ] || die "SHA256SUMS has no entry for $asset; nothing was installed"
  actual=$(sha256_of "$tmp/$asset")
  if [ "$expected" != "$actual" ]; then
    die "checksum mismatch for $asset (expected $expected, got $actual); nothing was installed"
  fi

  mkdir -p "$install_dir" || die "cannot create $install_dir"
  # Stage next to the target (same filesystem, and /tmp may be noexec), check it runs, then swap in.
  staged="$install_dir/.takopi.new.$$"
  cp "$tmp/$asset" "$staged" || die "cannot write to $install_dir"
  chmod 755 "$staged"
  if ! version=$("$staged" --version 2>&1); then
    rm -f "$staged"
    die "the downloaded binary does not run on this machine ($version); nothing was installed"
  fi
  mv -f "$staged" "$install_dir/takopi" || {
    rm -f "$staged"
    die "cannot write $install_dir/takopi"
  }

  say "installed takopi $version to $install_dir/takopi"
  path_hint
}

main "$@"
