# Sourced by scripts/test.sh and scripts/test-sanitizers.sh: when ccache is installed, every build goes through
# it, with paths taken relative to the checkout's parent folder, so a second clone of the same commit on the same
# machine (CI's fresh clone after a session) compiles from the cache. Sets the array `cache_launcher` for cmake.
# A cached build does without precompiled headers: a header image restored from the cache into another folder
# is not safe to compile against (g++ ran out of memory on one), and clang's embed absolute paths anyway.
cache_launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR CCACHE_NOHASHDIR=1
  CCACHE_BASEDIR=$(cd .. && pwd)
  cache_launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
                  -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON)
fi
