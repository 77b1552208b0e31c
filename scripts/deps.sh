# shellcheck shell=bash
# Sourced by scripts/ptcbench and scripts/test: installs the Debian packages ptcbench needs,
# and only those that are missing, so a second call costs nothing.

PTC_PACKAGES=(
    cmake make gcc pkg-config git      # build
    libcsv-dev                         # CSV in and out
    libcmocka-dev                      # unit tests
    gnuplot-nox                        # charts
    hyperfine                          # whole-process timings
    clang-format                       # the format check among the tests
    libboost-context-dev liburing-dev  # coroutine switch and io_uring poller
    libxxhash-dev                      # XXH3: net bodies checked at memory speed
    libjansson-dev                     # --json documents out and back in
    python3-jsonschema                 # the tests validate --json against docs/json-schema.json
    python3 python3-gevent             # the Python reference of the claims ledger, the Python peer
    golang-go                          # the Go peer (peers/go: standard library only)
)
# Debian's interpreter, the one with python3-gevent (not a python3 earlier on PATH).
# shellcheck disable=SC2034 # read by steps.bash
PTC_PYTHON=/usr/bin/python3
# Added by scripts/fuzz: libFuzzer comes with Debian's clang.
PTC_FUZZ_PACKAGES=(clang)
# Added by .ci/run: the fuzzer, memcheck (tests/smoke_valgrind.sh runs when it is there) and the
# shell linter.
# shellcheck disable=SC2034 # read by .ci/run
PTC_CI_PACKAGES=("${PTC_FUZZ_PACKAGES[@]}" valgrind shellcheck)

ptc_install_deps() {
    local missing=() pkg
    for pkg in "${PTC_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || {
            echo "$0: missing packages (${missing[*]}) and not root: install them or run as root" >&2
            return 2
        }
        sudo=(sudo)
    fi
    echo "$0: installing ${missing[*]}" >&2
    if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends "${missing[@]}" >&2; }; then
        echo "$0: apt-get could not install: ${missing[*]}" >&2
        return 2
    fi
}

# ptc_build DIR TYPE [cmake args...]: configure (always, so the git revision in the CSVs is
# current) and build with two jobs, the machine's core count; then the Go peer into DIR when Go
# is installed.
ptc_build() {
    local dir=$1 type=$2
    shift 2
    cmake -S "$PTC_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null &&
        cmake --build "$dir" -j2 -- --no-print-directory >/dev/null &&
        ptc_build_go "$dir"
}

# ptc_build_go DIR: DIR/ptc-peer-go from peers/go, offline (standard library only: GOPROXY=off
# fails a build that would download), with its cache inside DIR; nothing without Go.
ptc_build_go() {
    command -v go >/dev/null || return 0
    local dir
    dir=$(cd "$1" && pwd) || return 1
    (cd "$PTC_ROOT/peers/go" && GOPROXY=off GOFLAGS=-mod=mod GOCACHE="$dir/go-cache" \
        GOPATH="$dir/go-path" go build -trimpath -o "$dir/ptc-peer-go" .)
}
