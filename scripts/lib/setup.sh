# Shared set-up for scripts/run and scripts/test (sourced, not run): installs the Debian 12 packages seam
# needs when any is missing (non-interactive, idempotent, a quick no-op when all are there), then
# configures and builds into $SEAM_BUILD_DIR (default: build/).
set -euo pipefail

SEAM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SEAM_BUILD_DIR=${SEAM_BUILD_DIR:-$SEAM_ROOT/build}
SEAM_JOBS=${SEAM_JOBS:-$(nproc)}

seam_packages=(
  cmake g++ make pkg-config git
  openmpi-bin libopenmpi-dev libhdf5-openmpi-dev hdf5-tools
  libdeal.ii-dev libsuitesparse-dev libyaml-cpp-dev libfmt-dev libcli11-dev libmuparser-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  lammps lammps-data
  paraview python3-paraview xvfb xauth
  python3-numpy python3-h5py python3-matplotlib python3-pil python3-yaml
)

# seam_install_packages [PACKAGE...]: installs those of the packages (default: seam_packages) that are missing.
seam_install_packages() {
  local wanted=("$@") missing=()
  ((${#wanted[@]} > 0)) || wanted=("${seam_packages[@]}")
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  echo "seam: installing missing Debian packages: ${missing[*]}"
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "seam: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

seam_build() {
  # $@: build targets (default: all)
  if [[ ! -f $SEAM_BUILD_DIR/CMakeCache.txt ]]; then
    echo "seam: configuring in $SEAM_BUILD_DIR"
    cmake -S "$SEAM_ROOT" -B "$SEAM_BUILD_DIR" -DCMAKE_BUILD_TYPE=Release ${SEAM_CMAKE_ARGS:-} >"$SEAM_BUILD_DIR.configure.log" 2>&1 || {
      cat "$SEAM_BUILD_DIR.configure.log" >&2
      exit 1
    }
  fi
  echo "seam: building (${SEAM_JOBS} jobs) in $SEAM_BUILD_DIR"
  local targets=()
  for t in "$@"; do targets+=(--target "$t"); done
  cmake --build "$SEAM_BUILD_DIR" -j "$SEAM_JOBS" "${targets[@]}"
}

# OpenMPI refuses to run as root unless told; --oversubscribe allows more ranks than cores.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
