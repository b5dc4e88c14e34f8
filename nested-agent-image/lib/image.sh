# Shared steps of the image builders (sourced, bash): option parsing and locking, Debian's kernel
# without installing it, the module closure for an initramfs, a reproducible cpio, publishing and MANIFEST
# lines. Callers define die() first.

# The kernel package linux-image-amd64 depends on, e.g. linux-image-6.1.0-56-amd64 (~0.6 s: apt has no cache here).
sn_kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}'
}

# sn_kernel_unpack PACKAGE CACHE_DIR DEST: downloads PACKAGE's .deb into CACHE_DIR once (a directory the
# apt sandbox user _apt can write), then unpacks it into DEST with dpkg-deb -x (about 400 MB).
sn_kernel_unpack() {
  local pkg=$1 cache=$2 dest=$3 deb
  mkdir -p "$cache"
  chmod 0777 "$cache"
  deb=$(ls "$cache/${pkg}_"*.deb 2>/dev/null | head -1 || true)
  if [ -z "$deb" ]; then
    echo "downloading $pkg" >&2
    rm -f "$cache/"*.deb
    (cd "$cache" && apt-get download -q "$pkg" >/dev/null) || die "apt-get download $pkg failed"
    deb=$(ls "$cache/${pkg}_"*.deb | head -1)
  fi
  dpkg-deb -x "$deb" "$dest" || die "dpkg-deb -x $deb failed"
  [ -f "$dest/boot/vmlinuz-${pkg#linux-image-}" ] || die "$deb holds no boot/vmlinuz-${pkg#linux-image-}"
}

# sn_module_closure MODULES_DIR MODULE...: prints "name path" lines for the modules and everything they
# depend on (read from each .ko's modinfo 'depends='), dependencies first: the order to insmod them.
sn_module_closure() {
  local kmods=$1 f b
  shift
  declare -A ko=() seen=()
  while IFS= read -r f; do b=${f##*/}; ko[${b%.ko}]=$f; done < <(find "$kmods" -name '*.ko')
  _sn_add_module() {
    local m=$1 dep deps
    [ -n "${seen[$m]:-}" ] && return 0
    [ -n "${ko[$m]:-}" ] || die "module $m.ko not found under $kmods (built in or compressed?)"
    seen[$m]=1
    deps=$(tr '\0' '\n' < "${ko[$m]}" | sed -n 's/^depends=//p' | head -1)
    for dep in ${deps//,/ }; do _sn_add_module "${dep//-/_}"; done
    echo "$m ${ko[$m]}"
  }
  for b in "$@"; do _sn_add_module "$b"; done
}

# sn_install_modules ROOT MODULES_DIR MODULE...: copies the closure into ROOT/lib/modules/ and writes
# ROOT/lib/modules/load-order (one name a line, dependencies first).
sn_install_modules() {
  local root=$1 kmods=$2 list name path
  shift 2
  list=$(sn_module_closure "$kmods" "$@") || exit 1
  mkdir -p "$root/lib/modules"
  : > "$root/lib/modules/load-order"
  while read -r name path; do
    cp "$path" "$root/lib/modules/$name.ko"
    echo "$name" >> "$root/lib/modules/load-order"
  done <<<"$list"
}

# sn_cpio_gz DIR OUT: newc archive of DIR with sorted names, root ownership and mtime 0, gzip without a timestamp.
sn_cpio_gz() {
  find "$1" -exec touch -h -d @0 {} +
  (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible -R 0:0) | gzip -9n > "$2"
}

# sn_publish SRC_DIR OUT_DIR FILE...: replaces OUT_DIR/FILE by SRC_DIR/FILE only when the bytes differ.
sn_publish() {
  local src=$1 out=$2 f
  shift 2
  for f in "$@"; do
    if ! cmp -s "$src/$f" "$out/$f"; then
      cp "$src/$f" "$out/.$f.new" && mv -f "$out/.$f.new" "$out/$f"
    fi
  done
}

# sn_manifest_files OUT_DIR FILE...: "<key>_bytes=" and "<key>_sha256=" lines, key = name up to the first dot, '-' -> '_'.
sn_manifest_files() {
  local out=$1 f key
  shift
  for f in "$@"; do
    key=${f%%.*}; key=${key//-/_}
    echo "${key}_bytes=$(stat -c %s "$out/$f")"
    echo "${key}_sha256=$(sha256sum "$out/$f" | cut -d' ' -f1)"
  done
}

# sn_builder_init NAME OUT_DIR ARGS...: parses the builders' only option [--force] into FORCE, creates
# OUT_DIR and holds an flock on OUT_DIR/.lock until the script ends (concurrent runs share one output).
sn_builder_init() {
  local name=$1 out=$2
  shift 2
  FORCE=0
  case "${1:-}" in
    "") ;;
    --force) FORCE=1 ;;
    *) die "unknown argument '$1' (usage: $name [--force])" ;;
  esac
  [ $# -le 1 ] || die "too many arguments (usage: $name [--force])"
  mkdir -p "$out"
  exec 9>"$out/.lock"
  flock 9
}
