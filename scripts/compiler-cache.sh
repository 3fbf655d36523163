# Sourced by scripts/test.sh and scripts/test-sanitizers.sh: when ccache is installed, every build goes through
# it, with paths taken relative to the checkout's parent folder, so a second clone of the same commit on the same
# machine (CI's fresh clone after a session) compiles from the cache. Sets the arrays `cache_launcher` (g++
# builds) and `clang_cache_launcher` for cmake: clang's precompiled headers hold absolute paths, so a clang tree
# built through the cache does without them (g++'s are cached fine).
cache_launcher=()
clang_cache_launcher=()
if command -v ccache >/dev/null; then
  # precompiled headers are cacheable only with these sloppiness settings
  export CCACHE_BASEDIR CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
  CCACHE_BASEDIR=$(cd .. && pwd)
  cache_launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  clang_cache_launcher=("${cache_launcher[@]}" -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON)
fi
